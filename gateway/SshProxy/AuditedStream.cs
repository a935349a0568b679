using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// A connection to a node that counts bytes both ways and reports them once, when it is disposed. Its session start
/// event (<c>started</c>) may still be being written while traffic flows: the end is reported only after it, and a
/// start that cannot be written closes the connection (<c>onUnaudited</c> says why), so no session goes unaudited.
/// </summary>
internal sealed class AuditedStream : Stream, IHalfClosableStream
{
    private readonly Stream _inner;
    private readonly Task _started;
    private readonly Func<long, long, Task> _onClose;
    private long _read;
    private long _written;
    private int _closed;

    public AuditedStream(Stream inner, Task started, Func<long, long, Task> onClose, Action<Exception> onUnaudited)
    {
        _inner = inner;
        _started = started;
        _onClose = onClose;
        _ = CloseUnlessStarted(onUnaudited);
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await _inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Interlocked.Add(ref _written, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// The client's EOF: half-close towards the node (whatever carries it: TCP, a peer's TLS, a tunnel channel) so it
    /// sees the end of input and can still answer.
    /// </summary>
    public Task ShutdownWriteAsync() => StreamHalfClose.ShutdownWriteAsync(_inner);

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await Report();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _ = Report();
        }

        base.Dispose(disposing);
    }

    private async Task Report()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            // The log must not show an end before its start; a failed start was reported by CloseUnlessStarted.
            await _started.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _onClose(Interlocked.Read(ref _written), Interlocked.Read(ref _read));
        }
    }

    private async Task CloseUnlessStarted(Action<Exception> onUnaudited)
    {
        try
        {
            await _started;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            onUnaudited(ex);
            // Ends the splice: its pending reads and writes on the node's connection fail.
            await DisposeAsync();
        }
    }

    private int Count(int read)
    {
        Interlocked.Add(ref _read, read);
        return read;
    }
}
