using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>A TCP echo server on 127.0.0.1: every connection gets back what it sends, then EOF after the client's EOF.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static EchoServer Start()
    {
        var server = new EchoServer();
        server._listener.Start();
        server._acceptLoop = Task.Run(server.AcceptLoopAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stopping.Token);
                connections.Add(EchoAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, _stopping.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), _stopping.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // Stopped or reset.
            }
        }
    }
}
