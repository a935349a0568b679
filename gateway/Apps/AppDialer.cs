using System.Net.Sockets;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// Opens the byte stream to an app that the forwarder speaks HTTP (or TLS, for https apps) over. In this release the
/// app service runs in the proxy's own process (all-in-one), so the stream is a TCP connection to the app's uri;
/// <see cref="Tunnel"/> is the seam for app services behind a reverse tunnel.
/// </summary>
internal sealed class AppDialer
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Opens a channel to the app through its app service's reverse tunnel; null: dial directly.</summary>
    public Func<App, CancellationToken, ValueTask<Stream?>>? Tunnel { get; set; }

    public async ValueTask<Stream> Dial(App app, CancellationToken cancellationToken)
    {
        if (Tunnel is { } tunnel && await tunnel(app, cancellationToken) is { } tunneled)
        {
            return tunneled;
        }

        var uri = new Uri(app.Uri);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DialTimeout);
        try
        {
            await socket.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
