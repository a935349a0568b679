using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server port that can be paused: while paused it holds every byte in
/// both directions, so the server looks alive at the TCP level but never answers (a hung server or a dead path).
/// </summary>
internal sealed class PausableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _targetPort;
    private readonly List<Socket> _sockets = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _running = NewGate(open: true);
    private Task _acceptLoop = Task.CompletedTask;

    private PausableProxy(int targetPort)
    {
        _targetPort = targetPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static PausableProxy Start(int targetPort)
    {
        var proxy = new PausableProxy(targetPort);
        proxy._listener.Start();
        proxy._acceptLoop = Task.Run(proxy.AcceptLoopAsync);
        return proxy;
    }

    public void Pause()
    {
        lock (_gate)
        {
            if (_running.Task.IsCompleted)
            {
                _running = NewGate(open: false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_gate)
        {
            _running.TrySetResult();
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _acceptLoop;
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private async Task AcceptLoopAsync()
    {
        var relays = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stopping.Token);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
                lock (_gate)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                relays.Add(RelayAsync(client, server));
                relays.Add(RelayAsync(server, client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(relays);
    }

    private async Task RelayAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stopping.Token)) > 0)
            {
                Task running;
                lock (_gate)
                {
                    running = _running.Task;
                }

                await running;
                await to.SendAsync(buffer.AsMemory(0, read), _stopping.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped or reset.
        }
    }
}
