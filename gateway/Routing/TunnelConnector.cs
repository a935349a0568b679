using System.Diagnostics;
using Teleport.Orleans.Gateway.Peering;
using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>
/// Something behind an agent's reverse tunnel: a node's SSH server (<see cref="AppTarget"/> empty), or an app an app
/// service reaches (<see cref="AppTarget"/> its host:port). <see cref="Holder"/> reads the gateway recorded as holding
/// the tunnel from this gateway's cache; <see cref="FreshHolder"/> reads the record itself (null: the agent is gone).
/// </summary>
internal sealed record TunnelDestination(
    string HostId, string Description, string AppTarget, Func<string> Holder, Func<Task<string?>> FreshHolder);

/// <summary>
/// Reaches a destination through its agent's reverse tunnel wherever it is: here, or at the gateway that holds it
/// (peer forwarding). While no gateway holds the tunnel, or the one recorded is gone, it waits for the tunnel to
/// come back, as an agent dials again at once when its proxy drains, dies or hangs.
/// </summary>
internal sealed class TunnelConnector(TunnelRegistry tunnels, PeerDialer peers)
{
    /// <summary>
    /// How long a connection waits for a tunnel when no gateway holds one, or the one recorded is gone: the tunnel of
    /// a proxy that drained, died or hung is back on another within seconds, and a user should not see the move.
    /// Longer than that, the agent is down and the user is told.
    /// </summary>
    internal static readonly TimeSpan TunnelReturnWait = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan TunnelPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// <see cref="Dial"/>, tried again every <see cref="TunnelPoll"/> for up to <see cref="TunnelReturnWait"/> while
    /// no gateway holds the tunnel or the holder cannot be reached; then the last answer stands (null: no gateway
    /// holds one; a <see cref="RouteException"/>: why the tunnel cannot be used).
    /// </summary>
    public async Task<Stream?> DialWaiting(TunnelDestination destination, string clientAddress, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await Dial(destination, clientAddress, cancellationToken) is { } tunneled)
                {
                    return tunneled;
                }

                if (waited.Elapsed >= TunnelReturnWait)
                {
                    return null;
                }
            }
            catch (RouteException) when (waited.Elapsed < TunnelReturnWait)
            {
            }

            await Task.Delay(TunnelPoll, cancellationToken);
        }
    }

    /// <summary>The tunnel, here or at the gateway recorded as holding it; null when no gateway holds one.</summary>
    private async Task<Stream?> Dial(TunnelDestination destination, string clientAddress, CancellationToken cancellationToken)
    {
        var holder = destination.Holder();
        string? declined = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await OpenLocal(destination, clientAddress, cancellationToken) is { } local)
            {
                return local;
            }

            if (holder.Length > 0 && holder != tunnels.GatewayId)
            {
                if (!PeerAddress.IsDialable(holder))
                {
                    throw new RouteException($"{destination.Description} has its reverse tunnel at gateway {holder}, which has no peer listener (proxy_service.peer_listen_addr) to forward through");
                }

                try
                {
                    return await peers.DialAsync(holder, destination.HostId, clientAddress, destination.AppTarget, cancellationToken);
                }
                catch (PeerDialException ex) when (ex.Declined)
                {
                    declined = ex.Message;
                }
                catch (PeerDialException ex)
                {
                    throw new RouteException($"the reverse tunnel of {destination.Description} is not available: {ex.Message}");
                }
            }

            if (attempt > 0)
            {
                break;
            }

            // The cached record may be behind the grain: the agent can have connected, or moved to another gateway,
            // a moment ago. One read of the record settles it.
            var fresh = await destination.FreshHolder();
            if (fresh is null || fresh == holder)
            {
                break;
            }

            holder = fresh;
        }

        return declined is null ? null
            : throw new RouteException($"the reverse tunnel of {destination.Description} is not available: {declined}");
    }

    private async Task<Stream?> OpenLocal(TunnelDestination destination, string clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            if (destination.AppTarget.Length == 0)
            {
                return await tunnels.Open(destination.HostId, clientAddress, cancellationToken);
            }

            var (host, port) = PeerAddress.Split(destination.AppTarget);
            return await tunnels.OpenApp(destination.HostId, host, port, clientAddress, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or Ssh.Client.SshChannelOpenException)
        {
            throw new RouteException($"the reverse tunnel of {destination.Description} failed: {ex.Message}");
        }
    }
}
