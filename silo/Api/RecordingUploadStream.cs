using Grpc.Core;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// The chunks of an UploadRecording call as a read-only stream for the recording store. At the end it checks the
/// byte count against the declared total and throws <see cref="TruncatedRecordingException"/> on a mismatch, which
/// makes the store discard the upload, so a cut-off upload stores nothing.
/// </summary>
internal sealed class RecordingUploadStream(RecordingChunk first, IAsyncStreamReader<RecordingChunk> chunks) : Stream
{
    private ReadOnlyMemory<byte> _current = first.Data.Memory;
    private long _received = first.Data.Length;
    private bool _ended;

    public long TotalSize { get; } = first.TotalSize;

    public long Received => _received;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current.IsEmpty)
        {
            if (_ended || !await chunks.MoveNext(cancellationToken))
            {
                _ended = true;
                if (_received != TotalSize)
                {
                    throw new TruncatedRecordingException(_received, TotalSize);
                }

                return 0;
            }

            _current = chunks.Current.Data.Memory;
            _received += _current.Length;
            if (_received > TotalSize)
            {
                throw new TruncatedRecordingException(_received, TotalSize);
            }
        }

        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("recording uploads are read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>An upload whose byte count differs from the total it declared.</summary>
internal sealed class TruncatedRecordingException(long received, long declared)
    : IOException($"the upload carried {received} bytes but declared {declared}; nothing was stored");
