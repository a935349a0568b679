namespace Teleport.Orleans.Contracts.Resources;

/// <summary>
/// A server users reach over SSH (Teleport's <c>kind: node</c>). Agent nodes heartbeat it and it expires with their
/// lease; agentless OpenSSH hosts (<see cref="NodeSubKinds.OpenSsh"/>) are created with <c>tctl create</c> and never expire.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Node
{
    /// <summary>The host uuid.</summary>
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string SubKind { get; init; } = NodeSubKinds.Agent;
    [Id(2)] public string Hostname { get; init; } = "";
    /// <summary>host:port of the node's SSH server; empty when reachable only through its reverse tunnel.</summary>
    [Id(3)] public string Addr { get; init; } = "";
    [Id(4)] public Dictionary<string, string> Labels { get; init; } = new();
    [Id(5)] public Dictionary<string, CommandLabel> CmdLabels { get; init; } = new();
    [Id(6)] public string Version { get; init; } = "";
    [Id(7)] public bool UseTunnel { get; init; }
    /// <summary>When the lease runs out; null for nodes that never expire (agentless).</summary>
    [Id(8)] public DateTimeOffset? Expires { get; init; }
    /// <summary>For reverse-tunnel nodes: the gateway that holds the tunnel now (written by gateways).</summary>
    [Id(9)] public string TunnelGateway { get; init; } = "";

    public bool IsAgentless => SubKind == NodeSubKinds.OpenSsh;

    public bool IsExpired(DateTimeOffset now) => Expires is { } expires && expires <= now;

    /// <summary>Static labels and the latest command label results, as RBAC and label filters see them.</summary>
    public Dictionary<string, string> AllLabels()
    {
        var all = new Dictionary<string, string>(Labels, StringComparer.Ordinal);
        foreach (var (key, label) in CmdLabels)
        {
            all[key] = label.Result;
        }

        return all;
    }
}

/// <summary>A label whose value is the output of a command the node runs every <see cref="Period"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandLabel
{
    [Id(0)] public string[] Command { get; init; } = [];
    [Id(1)] public TimeSpan Period { get; init; }
    [Id(2)] public string Result { get; init; } = "";
}

public static class NodeSubKinds
{
    /// <summary>A Teleport node agent (sub_kind empty, as Teleport writes it).</summary>
    public const string Agent = "";

    /// <summary>An OpenSSH host registered by an admin; the gateway dials its sshd with a host-CA-trusting client.</summary>
    public const string OpenSsh = "openssh";
}
