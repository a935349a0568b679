using System.Net.Sockets;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// Opens the byte stream to an app that the forwarder speaks HTTP (or TLS, for https apps) over. An app announced by
/// an app service on another host (<see cref="App.UseTunnel"/>) is reached only through that service's reverse
/// tunnel: a channel to the app's host:port, which the app service dials locally. The tunnel may be held by this
/// proxy or another (forwarded over the peer listener), and a tunnel that is moving is waited for, exactly as for a
/// node's SSH (<see cref="TunnelConnector"/>). An app of the all-in-one process's own app service is a TCP connection
/// to its uri.
/// </summary>
internal sealed class AppDialer(TunnelConnector connector, AppCatalog catalog)
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(15);

    public async ValueTask<Stream> Dial(App app, CancellationToken cancellationToken)
    {
        var uri = new Uri(app.Uri);
        if (app.UseTunnel)
        {
            try
            {
                return await connector.DialWaiting(Destination(app, uri), "", cancellationToken)
                    ?? throw new IOException($"the app service of app \"{app.Name}\" has no reverse tunnel to any proxy right now");
            }
            catch (RouteException ex)
            {
                throw new IOException(ex.Message, ex);
            }
        }

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

    private TunnelDestination Destination(App app, Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        return new TunnelDestination(
            app.HostId,
            $"the app service of app \"{app.Name}\"",
            $"{host}:{uri.Port}",
            () => Holder(catalog.Cached(app.Name), app),
            async () => await catalog.ReloadApp(app.Name) is { } fresh ? Holder(fresh, app) : null);
    }

    // Another app service may announce the name after this one is gone: its tunnel is not this app's.
    private static string Holder(App? current, App app) =>
        current is not null && current.HostId == app.HostId ? current.TunnelGateway : app.TunnelGateway;
}
