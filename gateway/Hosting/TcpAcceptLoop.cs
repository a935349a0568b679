using System.Net.Sockets;
using Teleport.Orleans.Ssh.Server;

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

    /// <summary>
    /// As <see cref="RunAsync(TcpListener, Func{Socket, CancellationToken, Task}, CancellationToken)"/> for a public
    /// port: an address over max_connections is closed at once, and each connection waits in the budget (evictable,
    /// with its deadline) until the handler marks it authenticated. The handler still owns the socket.
    /// </summary>
    public static Task RunAsync(
        TcpListener listener, Limits limits, Func<Socket, UnauthenticatedConnection, CancellationToken, Task> serve, CancellationToken stoppingToken) =>
        RunAsync(listener, async (socket, token) =>
        {
            var remote = socket.RemoteEndPoint;
            using var slot = limits.Connections.TryAcquireConnection(remote, limits.Name);
            if (slot is null)
            {
                socket.Dispose();
                return;
            }

            using var waiting = limits.Budget.Admit(socket);
            await serve(socket, waiting, token);
        }, stoppingToken);

    /// <summary>What guards a public port: its name for log lines, teleport.connection_limits and the unauthenticated budget.</summary>
    public sealed record Limits(string Name, ConnectionLimiter Connections, UnauthenticatedConnectionBudget Budget);
}
