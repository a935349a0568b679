namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// A channel as a duplex stream (a <c>direct-tcpip</c> tunnel): reads return what the far end sends and 0 at its
/// EOF, writes wait for the server's window, <see cref="ShutdownWriteAsync"/> sends EOF, disposing closes the channel.
/// </summary>
public sealed class SshChannelStream : Stream, Connection.IHalfClosableStream
{
    private readonly ClientChannel _channel;
    private bool _disposed;

    internal SshChannelStream(ClientChannel channel)
    {
        _channel = channel;
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Completes (never faults) when the channel is closed by both sides or the connection ended.</summary>
    public Task Completion => _channel.Closed;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _channel.Output.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _channel.SendDataAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Sends EOF: the far end reads end of stream, and can still answer.</summary>
    public Task ShutdownWriteAsync() => _channel.SendEofAsync().AsTask();

    // Every write is sent before it completes.
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _channel.SendEofAsync().ConfigureAwait(false);
            await _channel.SendCloseAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _channel.SendEofAsync().AsTask().GetAwaiter().GetResult();
            _channel.SendCloseAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
