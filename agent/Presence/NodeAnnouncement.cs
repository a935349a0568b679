namespace Teleport.Orleans.Agent.Presence;

/// <summary>The static part of the node resource this node heartbeats.</summary>
internal sealed record NodeAnnouncement
{
    public required string HostId { get; init; }

    public required string Hostname { get; init; }

    /// <summary>host:port the proxies dial; empty when reachable only through a tunnel.</summary>
    public string Address { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string Version { get; init; } = "";

    public bool UseTunnel { get; init; }
}
