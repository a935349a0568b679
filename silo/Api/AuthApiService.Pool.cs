using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orleans.Runtime;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Grains.Nodes;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    /// <summary>Dead silos stay in the membership table for a while; the recently dead still say something.</summary>
    private static readonly TimeSpan DeadSiloShownFor = TimeSpan.FromMinutes(10);

    /// <summary>The auth pool: silos from the membership, proxies connected to each, tunnels by holding proxy. Admin only.</summary>
    public override async Task<ClusterPool> GetClusterPool(GetClusterPoolRequest request, ServerCallContext context)
    {
        if (!authorizer.RequireAuthenticated(context).IsAdmin)
        {
            throw AuthException.AccessDenied("the auth pool's state is for the admin identity: run tctl on an auth host, or with -i and an identity from `tctl auth sign`");
        }

        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var shown = hosts
            .Where(h => h.Status != SiloStatus.Dead || DateTime.UtcNow - h.IAmAliveTime < DeadSiloShownFor)
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .ToArray();
        var statistics = await RuntimeStatistics(management, [.. shown.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress)]);

        var pool = new ClusterPool();
        foreach (var host in shown)
        {
            statistics.TryGetValue(host.SiloAddress, out var stats);
            pool.Silos.Add(new PoolSilo
            {
                Address = host.SiloAddress.Endpoint.ToString(),
                Name = host.SiloName ?? "",
                Status = host.Status.ToString(),
                GatewayPort = host.ProxyPort,
                StartedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(host.StartTime, DateTimeKind.Utc)),
                ConnectedProxies = stats is null ? -1 : (int)stats.ClientCount,
                Activations = stats?.ActivationCount ?? 0,
            });
        }

        var nodes = await grains.ListNodesAsync();
        var tunnelNodes = nodes.Where(n => n.UseTunnel).ToArray();
        pool.NodeCount = nodes.Length;
        pool.TunnelNodeCount = tunnelNodes.Length;
        pool.UnheldTunnelNodeCount = tunnelNodes.Count(n => n.TunnelGateway.Length == 0);
        pool.TunnelHolders.AddRange(tunnelNodes
            .Where(n => n.TunnelGateway.Length > 0)
            .GroupBy(n => n.TunnelGateway, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TunnelHolder { Proxy = g.Key, Tunnels = g.Count() }));
        return pool;
    }

    /// <summary>Each active silo's statistics; a silo that does not answer (going down) is left out, not an error.</summary>
    private static async Task<Dictionary<SiloAddress, SiloRuntimeStatistics>> RuntimeStatistics(IManagementGrain management, SiloAddress[] silos)
    {
        var result = new Dictionary<SiloAddress, SiloRuntimeStatistics>();
        foreach (var silo in silos)
        {
            try
            {
                var statistics = await management.GetRuntimeStatistics([silo]).WaitAsync(TimeSpan.FromSeconds(5));
                result[silo] = statistics[0];
            }
            catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansException)
            {
                // Shown as unknown.
            }
        }

        return result;
    }
}
