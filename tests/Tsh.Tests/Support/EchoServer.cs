using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>A TCP service on the node's side of a forward: echoes every connection's bytes back until it closes.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public EchoServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = EchoAsync(client);
        }
    }

    private static async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await client.GetStream().CopyToAsync(client.GetStream());
            }
            catch (IOException)
            {
                // The forward closed the connection.
            }
        }
    }
}
