using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Teleport.Orleans.Agent.Diagnostics;

/// <summary>The node's meter: sessions it runs (Teleport's <c>server_interactive_sessions_total</c>) and its heartbeats.</summary>
internal sealed class NodeMetrics
{
    public const string MeterName = "Teleport.Orleans.Node";

    private int _interactive;
    private readonly Counter<long> _started;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _heartbeatFailures;

    /// <param name="meters">The host's meter factory; without one (a node process with no host) a meter of its own.</param>
    public NodeMetrics(IMeterFactory? meters)
    {
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        // A gauge despite the name, as in Teleport: interactive sessions running now.
        meter.CreateObservableGauge("server_interactive_sessions_total", () => Volatile.Read(ref _interactive), description: "Interactive sessions running on this node now");
        _started = meter.CreateCounter<long>("teleport_node_sessions_started_total", description: "Sessions (shell, exec, subsystem) started on this node, by interactive");
        _heartbeats = meter.CreateCounter<long>("teleport_node_heartbeats_total", description: "Heartbeats this node sent and the auth service accepted");
        _heartbeatFailures = meter.CreateCounter<long>("teleport_node_heartbeat_failures_total", description: "Heartbeats that failed (retried with backoff)");
    }

    public void SessionStarted(bool interactive)
    {
        _started.Add(1, new TagList { { "interactive", interactive ? "true" : "false" } });
        if (interactive)
        {
            Interlocked.Increment(ref _interactive);
        }
    }

    public void SessionEnded(bool interactive)
    {
        if (interactive)
        {
            Interlocked.Decrement(ref _interactive);
        }
    }

    public void HeartbeatSent() => _heartbeats.Add(1);

    public void HeartbeatFailed() => _heartbeatFailures.Add(1);
}
