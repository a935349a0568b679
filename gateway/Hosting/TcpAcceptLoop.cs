using System.Net.Sockets;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Accepts connections on a started listener until stopping, and serves each on its own task with Nagle off (the
/// protocols on top are interactive). The handler owns the socket and must not throw.
/// </summary>
internal static class TcpAcceptLoop
{
    public static async Task RunAsync(TcpListener listener, Func<Socket, CancellationToken, Task> serve, CancellationToken stoppingToken)
    {
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            socket.NoDelay = true;
            _ = Task.Run(() => serve(socket, stoppingToken), CancellationToken.None);
        }
    }
}
