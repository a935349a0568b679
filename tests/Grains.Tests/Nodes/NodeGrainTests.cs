using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Nodes;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Nodes;

[Collection(AuthClusterCollection.Name)]
public sealed class NodeGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller NodeCaller = new() { Name = "node", Roles = ["Node"] };

    private static Node AgentNode(string? name = null, string env = "test") => new()
    {
        Name = name ?? Guid.NewGuid().ToString(),
        Hostname = "web-" + Guid.NewGuid().ToString("N")[..6],
        Addr = "10.0.0.5:3022",
        Labels = new() { ["env"] = env },
        Version = "0.1.0",
    };

    [Fact]
    public async Task Lease_expiry_removes_a_node_from_listings()
    {
        var node = AgentNode();
        var lease = await fixture.Grains.GetGrain<INodeGrain>(node.Name).Heartbeat(node, NodeCaller);
        Assert.Contains(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);

        fixture.Time.Advance(lease.Expires - fixture.Time.GetUtcNow() + TimeSpan.FromSeconds(1));

        Assert.DoesNotContain(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);
        Assert.Null(await fixture.Grains.GetGrain<INodeGrain>(node.Name).Get());
    }

    [Fact]
    public async Task Heartbeats_keep_a_node_listed_past_its_first_lease()
    {
        var node = AgentNode();
        var grain = fixture.Grains.GetGrain<INodeGrain>(node.Name);
        var first = await grain.Heartbeat(node, NodeCaller);
        var ttl = first.Expires - fixture.Time.GetUtcNow();

        // Heartbeat as told for longer than one TTL.
        for (var elapsed = TimeSpan.Zero; elapsed < ttl * 2; elapsed += first.NextHeartbeat)
        {
            fixture.Time.Advance(first.NextHeartbeat);
            await grain.Heartbeat(node, NodeCaller);
        }

        Assert.Contains(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);
        Assert.True(first.NextHeartbeat < ttl / 2, $"interval {first.NextHeartbeat} must leave room within the TTL {ttl}");
    }

    [Fact]
    public async Task Changed_labels_reach_the_listing_at_once()
    {
        var node = AgentNode();
        var grain = fixture.Grains.GetGrain<INodeGrain>(node.Name);
        await grain.Heartbeat(node, NodeCaller);

        await grain.Heartbeat(node with { Labels = new() { ["env"] = "prod" } }, NodeCaller);

        var listed = Assert.Single(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);
        Assert.Equal("prod", listed.Labels["env"]);
    }

    [Fact]
    public async Task Agentless_node_never_expires()
    {
        var node = new Node { Name = Guid.NewGuid().ToString(), SubKind = NodeSubKinds.OpenSsh, Hostname = "legacy", Addr = "10.0.0.9:22" };
        await fixture.Grains.GetGrain<INodeGrain>(node.Name).UpsertAgentless(node, upsert: false, new Caller { Name = "admin" });

        fixture.Time.Advance(TimeSpan.FromDays(400));

        var listed = Assert.Single(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);
        Assert.Null(listed.Expires);
        Assert.Equal(NodeSubKinds.OpenSsh, listed.SubKind);
    }

    [Fact]
    public async Task Agentless_node_without_an_address_is_refused()
    {
        var node = new Node { Name = Guid.NewGuid().ToString(), SubKind = NodeSubKinds.OpenSsh, Hostname = "legacy" };

        var error = await Assert.ThrowsAsync<AuthException>(() =>
            fixture.Grains.GetGrain<INodeGrain>(node.Name).UpsertAgentless(node, upsert: false, new Caller { Name = "admin" }));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
        Assert.DoesNotContain(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);
    }

    [Fact]
    public async Task Agent_cannot_heartbeat_over_an_agentless_node()
    {
        var name = Guid.NewGuid().ToString();
        await fixture.Grains.GetGrain<INodeGrain>(name).UpsertAgentless(
            new Node { Name = name, SubKind = NodeSubKinds.OpenSsh, Hostname = "legacy", Addr = "10.0.0.9:22" }, upsert: false, new Caller { Name = "admin" });

        var error = await Assert.ThrowsAsync<AuthException>(() => fixture.Grains.GetGrain<INodeGrain>(name).Heartbeat(AgentNode(name), NodeCaller));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
    }

    [Fact]
    public async Task Deleted_node_leaves_the_listing()
    {
        var node = AgentNode();
        await fixture.Grains.GetGrain<INodeGrain>(node.Name).Heartbeat(node, NodeCaller);

        await fixture.Grains.GetGrain<INodeGrain>(node.Name).Delete(new Caller { Name = "admin" });

        Assert.DoesNotContain(await fixture.Grains.ListNodesAsync(), n => n.Name == node.Name);
    }

    [Fact]
    public void Shard_numbers_are_stable_and_in_range()
    {
        var shards = Enumerable.Range(0, 10_000).Select(i => INodeDirectoryShardGrain.ShardFor(Guid.NewGuid().ToString())).ToArray();

        Assert.All(shards, s => Assert.InRange(s, 0, INodeDirectoryShardGrain.ShardCount - 1));
        Assert.Equal(INodeDirectoryShardGrain.ShardCount, shards.Distinct().Count());
        Assert.Equal(INodeDirectoryShardGrain.ShardFor("a"), INodeDirectoryShardGrain.ShardFor("a"));
    }
}
