using Microsoft.Extensions.Options;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Changes;
using Teleport.Orleans.Grains.Diagnostics;

namespace Teleport.Orleans.Grains.Nodes;

/// <summary>
/// One node resource. A heartbeat that changes nothing and finds more than half the lease left is answered from
/// memory; otherwise the node is stored with a fresh lease and published to its directory shard and the change hub.
/// </summary>
internal sealed class NodeGrain(
    [PersistentState("node", StorageNames.ClusterState)] IPersistentState<NodeState> state,
    IOptions<NodeLeaseOptions> options,
    TimeProvider time,
    AuthMetrics metrics) : Grain, INodeGrain
{
    private string Name => this.GetPrimaryKeyString();

    private NodeLeaseOptions Lease => options.Value;

    private INodeDirectoryShardGrain Shard =>
        GrainFactory.GetGrain<INodeDirectoryShardGrain>(INodeDirectoryShardGrain.ShardFor(Name));

    public async Task<NodeLease> Heartbeat(Node node, Caller caller)
    {
        NodeValidator.Validate(node, Name);
        metrics.HeartbeatReceived();
        var now = time.GetUtcNow();
        var current = Live(now);
        if (current is { IsAgentless: true })
        {
            throw AuthException.BadParameter($"node \"{Name}\" is registered as an agentless OpenSSH node and does not heartbeat");
        }

        var reported = node with
        {
            SubKind = NodeSubKinds.Agent,
            // The tunnel holder is the gateways' to write, not the node's.
            TunnelGateway = current?.TunnelGateway ?? "",
            Expires = current?.Expires,
        };
        var changed = current is null || !NodeContent.Same(current, reported);
        var leaseRunningLow = current?.Expires is not { } expires || expires - now < Lease.Ttl / 2;
        if (changed || leaseRunningLow)
        {
            await Store(reported with { Expires = now + Lease.Ttl }, publish: changed);
        }

        return new NodeLease { Expires = state.State.Node!.Expires!.Value, NextHeartbeat = WithJitter(Lease.EffectiveInterval) };
    }

    public async Task<Node> UpsertAgentless(Node node, bool upsert, Caller caller)
    {
        NodeValidator.Validate(node, Name);
        NodeValidator.ValidateAgentless(node);
        if (Live(time.GetUtcNow()) is not null && !upsert)
        {
            throw AuthException.AlreadyExists($"node \"{Name}\" already exists");
        }

        var saved = node with { Expires = null, CmdLabels = new(), TunnelGateway = "", UseTunnel = false };
        await Store(saved, publish: true);
        return saved;
    }

    public async Task SetTunnelGateway(string gateway)
    {
        if (Live(time.GetUtcNow()) is { } current && current.TunnelGateway != gateway)
        {
            await Store(current with { TunnelGateway = gateway }, publish: true);
        }
    }

    public Task<Node?> Get() => Task.FromResult(Live(time.GetUtcNow()));

    public async Task Delete(Caller caller)
    {
        if (Live(time.GetUtcNow()) is null)
        {
            throw AuthException.NotFound($"node \"{Name}\" is not found");
        }

        await Remove();
    }

    public async Task Expire()
    {
        // The shard calling this has already dropped and announced the node; calling it back would deadlock.
        if (state.State.Node is { } node && node.IsExpired(time.GetUtcNow()))
        {
            metrics.HeartbeatMissed();
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
    }

    private Node? Live(DateTimeOffset now) => state.State.Node is { } node && !node.IsExpired(now) ? node : null;

    private async Task Store(Node node, bool publish)
    {
        state.State.Node = node;
        await state.WriteStateAsync();
        await Shard.Put(node);
        if (publish)
        {
            await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.Node, Name = Name, Node = node });
        }
    }

    private async Task Remove()
    {
        await state.ClearStateAsync();
        await Shard.Remove(Name);
        await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.Node, Name = Name, Removed = true });
        DeactivateOnIdle();
    }

    // Spreads 10,000 agents that restarted together over the interval instead of heartbeating in step.
    private static TimeSpan WithJitter(TimeSpan interval) => interval * (0.8 + (Random.Shared.NextDouble() * 0.2));
}

[GenerateSerializer]
internal sealed class NodeState
{
    [Id(0)] public Node? Node { get; set; }
}
