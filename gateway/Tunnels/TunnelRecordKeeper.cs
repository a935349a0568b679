using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Apps;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Keeps the node records pointing at this gateway for every tunnel it holds. A record can lose the pointer while
/// the tunnel stays up: the tunnel can come up before the node's first heartbeat creates the record, or the node's
/// lease can run out while the auth pool is unreachable and the next heartbeat starts a fresh record. Other
/// gateways could then not forward to the node. Only an empty record is written: one that names another gateway
/// means the agent has dialed again there, and that newer tunnel wins while this one is found dead. The check reads
/// the routing cache, so it costs a grain call only for a record that lost its pointer.
/// </summary>
/// <remarks>The same holds for an app service's tunnel, recorded in the app registry, which keeps it in memory: after
/// the registry's grain moves, its apps come back with their next heartbeat but without the pointer.</remarks>
internal sealed partial class TunnelRecordKeeper(TunnelRegistry tunnels, RoutingCache cache, AppCatalog apps, ILogger<TunnelRecordKeeper> logger) : BackgroundService
{
    // Short: after kill -9 of the auth server that held a node's grain, the grain comes back on another server without
    // the pointer (it is not stored), and other gateways refuse sessions to the node until this check restores it
    // (measured: 6 to 15 s of refused sessions at 15 s). The scan reads only the local cache.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var hostId in tunnels.HeldHostIds)
                {
                    if (tunnels.IsAppService(hostId))
                    {
                        if (apps.Apps.Any(a => a.HostId == hostId && a.UseTunnel && a.TunnelGateway.Length == 0))
                        {
                            LogReasserting(logger, hostId);
                            await tunnels.Reassert(hostId);
                        }
                    }
                    else if (cache.Node(hostId) is { } node && !node.IsExpired(DateTimeOffset.UtcNow) && node.TunnelGateway.Length == 0)
                    {
                        LogReasserting(logger, hostId);
                        await tunnels.Reassert(hostId);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {HostId} is recorded without a tunnel gateway but its tunnel is here; recording it again")]
    private static partial void LogReasserting(ILogger logger, string hostId);
}
