using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

public enum ClusterChangeKind
{
    Node = 0,
    Role = 1,
    Lock = 2,
    CertAuthority = 3,
}

/// <summary>
/// One stored change. <see cref="Node"/> carries the node resource on a node upsert so a routing cache needs no
/// further call; other kinds name the resource and the subscriber reads it if it cares. Node upserts are published
/// when the node's content changes, not on every heartbeat or lease extension; a node whose lease runs out is
/// published as removed by its directory shard's sweep (within a quarter of the TTL, at most 30 s).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClusterChange
{
    [Id(0)] public required ClusterChangeKind Kind { get; init; }
    [Id(1)] public required string Name { get; init; }
    /// <summary>True when the resource was deleted or expired.</summary>
    [Id(2)] public bool Removed { get; init; }
    [Id(3)] public Node? Node { get; init; }
}
