using System.Net.Security;
using System.Net.Sockets;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>A stream that can end its sending side while still reading, as a TCP socket's shutdown(SHUT_WR) does.</summary>
public interface IHalfClosableStream
{
    Task ShutdownWriteAsync();
}

/// <summary>
/// Ends the sending side of a forwarded connection the way its transport allows: TCP FIN, TLS close_notify, SSH
/// channel EOF, or a wrapper's own; a stream with none of these is left as it is (it closes whole later).
/// </summary>
public static class StreamHalfClose
{
    public static async Task ShutdownWriteAsync(Stream stream)
    {
        switch (stream)
        {
            case NetworkStream network:
                network.Socket.Shutdown(SocketShutdown.Send);
                break;
            case SslStream tls:
                await tls.ShutdownAsync().ConfigureAwait(false);
                break;
            case IHalfClosableStream halfClosable:
                await halfClosable.ShutdownWriteAsync().ConfigureAwait(false);
                break;
        }
    }
}
