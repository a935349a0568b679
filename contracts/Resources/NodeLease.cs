namespace Teleport.Orleans.Contracts.Resources;

/// <summary>What a heartbeat returns: when the node's lease runs out, and when the agent should heartbeat next.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeLease
{
    [Id(0)] public required DateTimeOffset Expires { get; init; }
    [Id(1)] public required TimeSpan NextHeartbeat { get; init; }
}
