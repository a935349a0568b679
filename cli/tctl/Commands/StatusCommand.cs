using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl status: cluster name, version, CA fingerprints and the CA pin; for the admin identity, the auth pool.</summary>
internal static class StatusCommand
{
    public static Command Create(TctlContext context)
    {
        var command = new Command("status", "Report cluster status");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var status = await session.Client.GetClusterStatusAsync(new GetClusterStatusRequest(), cancellationToken: cancellationToken);
            ClusterPool? pool = null;
            try
            {
                pool = await session.Client.GetClusterPoolAsync(new GetClusterPoolRequest(), cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
            {
                // Only the admin identity sees the pool; a user's status stops at the cluster.
            }

            KeyValueLines.Write(context.Out(parseResult), [.. Lines(status), .. pool is null ? [] : PoolLines(pool)]);
            return 0;
        });
        return command;
    }

    private static IEnumerable<(string, string)> Lines(ClusterStatus status)
    {
        yield return ("Cluster", status.ClusterName);
        yield return ("Version", status.Version);
        foreach (var authority in status.Authorities)
        {
            yield return ($"{authority.Type} CA", authority.Fingerprint);
        }

        yield return ("CA pin", status.CaPin);
        if (status.SecondFactor.Length > 0)
        {
            yield return ("Second factor", status.SecondFactor);
        }

        if (status.ProxyPublicAddr.Length > 0)
        {
            yield return ("Proxy", status.ProxyPublicAddr);
        }

        yield return ("Users", status.UserCount.ToString(CultureInfo.InvariantCulture));
        yield return ("Roles", status.RoleCount.ToString(CultureInfo.InvariantCulture));
        yield return ("Join tokens", status.JoinTokenCount.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>One line per silo, the proxies connected to the pool, and the tunnels each proxy holds.</summary>
    private static IEnumerable<(string, string)> PoolLines(ClusterPool pool)
    {
        var active = pool.Silos.Count(s => s.Status == "Active");
        yield return ("Auth servers", $"{active} active of {pool.Silos.Count}");
        foreach (var silo in pool.Silos)
        {
            var proxies = silo.ConnectedProxies < 0 ? "proxies unknown" : Count(silo.ConnectedProxies, "proxy", "proxies");
            var gateway = silo.GatewayPort > 0 ? $"gateway port {silo.GatewayPort}" : "no gateway";
            yield return ($"  {silo.Address}", $"{silo.Status}, {gateway}, {proxies}, up since {silo.StartedAt.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss} UTC");
        }

        // A proxy keeps connections to several silos, so the busiest silo's count is what is known for sure.
        var busiest = pool.Silos.Select(s => s.ConnectedProxies).DefaultIfEmpty(0).Max();
        yield return ("Proxies", $"at least {Math.Max(0, busiest)} connected to the auth pool (Orleans clients; each may use several silos)");
        yield return ("Nodes", $"{pool.NodeCount} ({pool.TunnelNodeCount} by reverse tunnel, {pool.UnheldTunnelNodeCount} of them with no proxy holding it)");
        foreach (var holder in pool.TunnelHolders)
        {
            yield return ($"  tunnels at {holder.Proxy}", holder.Tunnels.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Count(int count, string one, string many) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
