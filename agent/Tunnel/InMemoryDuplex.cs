using System.IO.Pipelines;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// Two connected in-memory streams: what one writes the other reads. The tunnel channel's end is handed to the
/// SSH library to copy, the other end to the node's SSH server as if it were an accepted socket.
/// </summary>
internal sealed class InMemoryDuplex : Stream
{
    private readonly Stream _read;
    private readonly Stream _write;

    private InMemoryDuplex(PipeReader reader, PipeWriter writer)
    {
        _read = reader.AsStream();
        _write = writer.AsStream();
    }

    public static (Stream First, Stream Second) CreatePair()
    {
        var forward = new Pipe();
        var backward = new Pipe();
        return (new InMemoryDuplex(backward.Reader, forward.Writer), new InMemoryDuplex(forward.Reader, backward.Writer));
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _read.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _write.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _write.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _write.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Completing the writer is the peer's end of stream; completing the reader unblocks the peer's writes.
            _write.Dispose();
            _read.Dispose();
        }

        base.Dispose(disposing);
    }
}
