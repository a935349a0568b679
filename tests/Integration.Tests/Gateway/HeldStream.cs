using System.IO.Pipelines;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// A client's connection to a node held before its login: writes pass, but what the node sends is kept from the
/// client until <see cref="Release"/>, so the client's SSH handshake stalls after its first packets and the node
/// keeps the connection among those waiting to authenticate. <see cref="NodeAnswered"/> completes once the node sent
/// its identification and began its key exchange, which it does only after reading the connection's first line.
/// </summary>
internal sealed class HeldStream : Stream
{
    private readonly Stream _inner;
    private readonly Pipe _pipe = new();
    private readonly Stream _held;
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldStream(Stream inner)
    {
        _inner = inner;
        _held = _pipe.Reader.AsStream();
        _ = PumpAsync();
    }

    public Task NodeAnswered => _answered.Task;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Release() => _released.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _released.Task.WaitAsync(cancellationToken);
        return await _held.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        var seen = new List<byte>();
        try
        {
            while (true)
            {
                var read = await _inner.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                if (!_answered.Task.IsCompleted)
                {
                    seen.AddRange(buffer.AsSpan(0, read));
                    var lineEnd = seen.IndexOf((byte)'\n');
                    if (lineEnd >= 0 && seen.Count >= lineEnd + 6)
                    {
                        _answered.TrySetResult();
                    }
                }

                await _pipe.Writer.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The node or the proxy closed the channel: the client sees the end when released.
        }

        _answered.TrySetException(new IOException("The node closed the connection before it began its key exchange."));
        await _pipe.Writer.CompleteAsync();
    }
}
