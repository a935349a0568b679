using System.Net.Sockets;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Apps;

/// <summary>
/// What the proxy may open on an app service's reverse tunnel: a direct-tcpip channel to the host:port of one of the
/// apps this service announces (its uri), which the service connects to locally. Any other address is refused, so a
/// proxy cannot use the tunnel to reach the rest of the app service's network.
/// </summary>
internal sealed class AppTunnelForwardingHandler(IReadOnlyList<App> apps) : ISshForwardingHandler
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(15);

    public async ValueTask<Stream?> ConnectAsync(SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        if (!Allows(apps, request.Host, request.Port))
        {
            return null;
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DialTimeout);
        try
        {
            await socket.ConnectAsync(request.Host, (int)request.Port, timeout.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>True when <paramref name="host"/>:<paramref name="port"/> is the address of one of the apps' uri.</summary>
    internal static bool Allows(IReadOnlyList<App> apps, string host, uint port) =>
        apps.Any(a => Uri.TryCreate(a.Uri, UriKind.Absolute, out var uri)
            && string.Equals(uri.IdnHost, host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == port);
}
