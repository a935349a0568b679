using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// One node. Key: the host uuid. The grain is the single writer of the node resource; it publishes the resource to
/// its <see cref="INodeDirectoryShardGrain"/> only when the resource changes or the published lease needs extending,
/// so a heartbeat that changes nothing costs this one call.
/// </summary>
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>Upserts the agent's node resource and extends its lease.</summary>
    Task<NodeLease> Heartbeat(Node node, Caller caller);

    /// <summary>Registers an agentless OpenSSH node (never expires); fails if the node exists unless <paramref name="upsert"/>.</summary>
    Task<Node> UpsertAgentless(Node node, bool upsert, Caller caller);

    /// <summary>The gateway holding the node's reverse tunnel now ("" when none); written by gateways.</summary>
    Task SetTunnelGateway(string gateway);

    /// <summary>The node, or null when it does not exist or its lease ran out.</summary>
    [ReadOnly]
    Task<Node?> Get();

    Task Delete(Caller caller);

    /// <summary>Drops the stored node if its lease ran out (called by the directory's expiry sweep).</summary>
    Task Expire();
}
