using System.Diagnostics;
using System.Diagnostics.Metrics;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Diagnostics;

/// <summary>The proxy's meter, with Teleport's names: tunnels held, sessions relayed, connection attempts to nodes.</summary>
internal sealed class ProxyMetrics
{
    public const string MeterName = "Teleport.Orleans.Proxy";

    private readonly Counter<long> _connectAttempts;
    private readonly Counter<long> _connectFailures;

    public ProxyMetrics(IMeterFactory meters, TunnelRegistry tunnels, ActiveConnections sessions)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "teleport_reverse_tunnels_connected",
            () => new Measurement<int>(tunnels.Count, new TagList { { "type", "node" } }),
            description: "Reverse tunnels held by this proxy, by type of agent");
        // A gauge despite the name, as in Teleport: the SSH connections this proxy relays now.
        meter.CreateObservableGauge("proxy_ssh_sessions_total", () => sessions.Count, description: "SSH connections relayed by this proxy now");
        _connectAttempts = meter.CreateCounter<long>("teleport_connect_to_node_attempts_total", description: "Connections to nodes the proxy was asked for");
        _connectFailures = meter.CreateCounter<long>("failed_connect_to_node_attempts_total", description: "Connections to nodes refused or failed (unknown node, access denied, node unreachable)");
    }

    /// <summary>Counts one connection attempt to a node, and its failure if <paramref name="connect"/> throws.</summary>
    public async Task<T> TrackConnect<T>(Func<Task<T>> connect)
    {
        _connectAttempts.Add(1);
        try
        {
            return await connect();
        }
        catch
        {
            _connectFailures.Add(1);
            throw;
        }
    }
}
