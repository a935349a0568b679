namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// One direction of channel data to the peer (data, or stderr) as a write-only stream, for client and server
/// channels alike. Writes wait for the peer's window; with <c>sendEof</c>, disposing sends EOF, so <c>cat</c> on
/// the other side ends.
/// </summary>
internal sealed class ChannelWriteStream(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send, Func<ValueTask>? sendEof = null) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        send(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    // Every write is sent before it completes.
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (sendEof is not null)
        {
            await sendEof().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && sendEof is not null)
        {
            sendEof().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
