namespace Teleport.Orleans.Grains.Nodes;

/// <summary>How long a heartbeat keeps an agent node listed, and how often agents are told to heartbeat.</summary>
public sealed class NodeLeaseOptions
{
    /// <summary>Teleport's <c>ServerAnnounceTTL</c>: a node that stops heartbeating disappears after this.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Teleport's <c>ServerKeepAliveTTL</c>: the heartbeat interval agents get, with up to 20% jitter.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The interval agents are told: the configured one, but never more than a third of the TTL, so that a short
    /// test TTL does not expire nodes that heartbeat as told.
    /// </summary>
    internal TimeSpan EffectiveInterval => HeartbeatInterval < Ttl / 3 ? HeartbeatInterval : Ttl / 3;

    /// <summary>How often directory shards drop expired nodes: a quarter of the TTL, at most 30 s.</summary>
    internal TimeSpan SweepInterval
    {
        get
        {
            var quarter = Ttl / 4;
            return quarter < TimeSpan.FromSeconds(30) ? quarter : TimeSpan.FromSeconds(30);
        }
    }
}
