using System.Net.Sockets;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// Opens the byte stream to an app that the forwarder speaks HTTP (or TLS, for https apps) over. An app announced by
/// an app service on another host (<see cref="App.UseTunnel"/>) is reached only through that service's reverse
/// tunnel: a channel to the app's host:port, which the app service dials locally. An app of the all-in-one process's
/// own app service is a TCP connection to its uri.
/// </summary>
internal sealed class AppDialer(TunnelRegistry tunnels)
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(15);

    public async ValueTask<Stream> Dial(App app, CancellationToken cancellationToken)
    {
        var uri = new Uri(app.Uri);
        if (app.UseTunnel)
        {
            try
            {
                return await tunnels.OpenApp(app.HostId, uri.IdnHost, uri.Port, "", cancellationToken)
                    ?? throw new IOException($"the app service of app \"{app.Name}\" has no reverse tunnel to this proxy");
            }
            catch (SshChannelOpenException ex)
            {
                throw new IOException($"the app service of app \"{app.Name}\" could not reach it: {ex.Message}", ex);
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
}
