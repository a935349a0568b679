using Microsoft.Extensions.Options;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Changes;

namespace Teleport.Orleans.Grains.Nodes;

/// <summary>
/// One shard of the node listing. Listings filter out expired nodes at read time; a timer also drops them from
/// storage, tells the node grain to clear its state and publishes the removal to routing caches.
/// </summary>
internal sealed class NodeDirectoryShardGrain(
    [PersistentState("nodes", StorageNames.ClusterState)] IPersistentState<NodeShardState> state,
    IOptions<NodeLeaseOptions> options,
    TimeProvider time) : Grain, INodeDirectoryShardGrain
{
    private Node[]? _sorted;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.SweepInterval;
        this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(period, period) { KeepAlive = true, Interleave = false });
        return Task.CompletedTask;
    }

    public async Task Put(Node node)
    {
        state.State.Nodes[node.Name] = node;
        _sorted = null;
        await state.WriteStateAsync();
    }

    public async Task Remove(string name)
    {
        if (state.State.Nodes.Remove(name))
        {
            _sorted = null;
            await state.WriteStateAsync();
        }
    }

    public Task<Node[]> List()
    {
        // Sorted once per change, not once per listing: listings outnumber changes.
        _sorted ??= [.. state.State.Nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];
        var now = time.GetUtcNow();
        return Task.FromResult(_sorted.Any(n => n.IsExpired(now)) ? [.. _sorted.Where(n => !n.IsExpired(now))] : _sorted);
    }

    private async Task Sweep(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = state.State.Nodes.Values.Where(n => n.IsExpired(now)).Select(n => n.Name).ToArray();
        if (expired.Length == 0)
        {
            return;
        }

        foreach (var name in expired)
        {
            state.State.Nodes.Remove(name);
        }

        _sorted = null;
        await state.WriteStateAsync(cancellationToken);
        await GrainFactory.GetGrain<IClusterChangeHubGrain>(IClusterChangeHubGrain.DefaultKey).Publish(
            [.. expired.Select(name => new ClusterChange { Kind = ClusterChangeKind.Node, Name = name, Removed = true })]);
        foreach (var name in expired)
        {
            await GrainFactory.GetGrain<INodeGrain>(name).Expire();
        }
    }
}

[GenerateSerializer]
internal sealed class NodeShardState
{
    [Id(0)] public Dictionary<string, Node> Nodes { get; set; } = new(StringComparer.Ordinal);
}
