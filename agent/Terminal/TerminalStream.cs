using System.Net.Sockets;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>
/// A stream over one descriptor of a pseudo-terminal's master whose asynchronous reads and writes wait in the runtime's
/// socket engine (epoll), as a PipeStream's do: a FileStream over a terminal reads by blocking a thread-pool thread
/// for as long as the terminal is quiet, so a thousand idle shells held a thousand pool threads and starved everything
/// else the node does. <see cref="Socket"/> accepts any descriptor epoll can wait on and, for one that is not a socket,
/// reads and writes it with read(2) and write(2); it makes the descriptor non-blocking (the terminal's open file
/// description: the node's other duplicates of the master share the flag; the session's side, the slave, does not).
/// A read returns 0 once the terminal is hung up (EIO: every holder of the slave is gone, which the socket engine
/// reports as <see cref="SocketError.SocketError"/>, an errno it has no socket name for); other failures are
/// <see cref="IOException"/>s, as they were from the FileStream.
/// </summary>
internal sealed class TerminalStream(Socket descriptor) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await descriptor.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.SocketError)
        {
            return 0;
        }
        catch (SocketException exception)
        {
            throw new IOException(exception.Message, exception);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var written = await descriptor.SendAsync(buffer, SocketFlags.None, cancellationToken);
                buffer = buffer[written..];
            }
        }
        catch (SocketException exception)
        {
            throw new IOException(exception.Message, exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            descriptor.Dispose();
        }

        base.Dispose(disposing);
    }
}
