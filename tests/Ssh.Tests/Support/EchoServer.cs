using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>A TCP echo server on 127.0.0.1 (port 0): each connection gets back what it sends, then EOF after the client's EOF.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private int _accepted;

    public EchoServer()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static EchoServer Start() => new();

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>
    /// Sends <paramref name="data"/> to an echo service through <paramref name="endPoint"/> and checks what comes back:
    /// with <paramref name="halfClose"/>, everything up to the end of the stream after a send shutdown; without,
    /// as many bytes as were sent (for forwarders that close the whole channel on a half-close).
    /// </summary>
    public static async Task<bool> RoundTripAsync(EndPoint endPoint, byte[] data, bool halfClose = true)
    {
        using var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(endPoint, timeout.Token);
        var send = Task.Run(async () =>
        {
            await socket.SendAsync(data, timeout.Token);
            if (halfClose)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        });
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((halfClose || received.Length < data.Length) && (read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        await send;
        return received.ToArray().AsSpan().SequenceEqual(data);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(EchoAsync(socket));
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, _stopping.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), _stopping.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped, or the peer went away.
            }
        }
    }
}
