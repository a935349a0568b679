using System.Diagnostics;
using System.Diagnostics.Metrics;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Gateway.Diagnostics;

/// <summary>
/// The proxy's meter, with Teleport's names: tunnels held and missing, registered nodes, sessions relayed, connection
/// attempts to nodes, connections refused for a limit. Counters start at 0, so alerts on them have a series to read.
/// </summary>
internal sealed class ProxyMetrics
{
    public const string MeterName = "Teleport.Orleans.Proxy";

    private long _connectAttempts;
    private long _connectFailures;

    public ProxyMetrics(IMeterFactory meters, TunnelRegistry tunnels, ActiveConnections sessions, RoutingCache nodes, ConnectionLimiter limiter)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "teleport_reverse_tunnels_connected",
            () => new Measurement<int>(tunnels.Count, new TagList { { "type", "node" } }),
            description: "Reverse tunnels held by this proxy, by type of agent");
        // A gauge despite the name, as in Teleport: the SSH connections this proxy relays now.
        meter.CreateObservableGauge("proxy_ssh_sessions_total", () => sessions.Count, description: "SSH connections relayed by this proxy now");
        // Observed rather than added to: the series exists (at 0) from the first scrape, before any connection.
        meter.CreateObservableCounter("teleport_connect_to_node_attempts_total", () => Interlocked.Read(ref _connectAttempts), description: "Connections to nodes the proxy was asked for");
        meter.CreateObservableCounter("failed_connect_to_node_attempts_total", () => Interlocked.Read(ref _connectFailures), description: "Connections to nodes refused or failed (unknown node, access denied, node unreachable)");
        meter.CreateObservableGauge(
            "teleport_registered_servers",
            () => new Measurement<int>(nodes.Nodes.Count(), new TagList { { "type", "node" } }),
            description: "Nodes registered in the cluster (heartbeat not expired), as this proxy's routing cache has them");
        // Teleport counts tunnels its agents should hold to this proxy and do not; here an agent holds one tunnel to
        // any proxy, so what is missing is a tunnel node that no proxy holds one for (it cannot be reached).
        meter.CreateObservableGauge(
            "proxy_missing_ssh_tunnels",
            () => nodes.Nodes.Count(n => n.UseTunnel && n.TunnelGateway.Length == 0 && !tunnels.Holds(n.Name)),
            description: "Registered tunnel nodes that no proxy holds a reverse tunnel for");
        meter.CreateObservableCounter(
            "proxy_connection_limit_exceeded_total",
            () => limiter.Refused,
            description: "Connections and users refused for connection_limits (max_connections, max_users)");
    }

    /// <summary>Counts one connection attempt to a node, and its failure if <paramref name="connect"/> throws.</summary>
    public async Task<T> TrackConnect<T>(Func<Task<T>> connect)
    {
        Interlocked.Increment(ref _connectAttempts);
        try
        {
            return await connect();
        }
        catch
        {
            Interlocked.Increment(ref _connectFailures);
            throw;
        }
    }
}
