using System.Collections.Concurrent;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Changes;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Changes;

[Collection(AuthClusterCollection.Name)]
public sealed class ClusterChangeHubTests(AuthClusterFixture fixture)
{
    private static readonly Caller Admin = new() { Name = "admin" };

    [Fact]
    public async Task Subscriber_hears_of_node_upserts_removals_and_lock_changes()
    {
        var seen = new ConcurrentQueue<ClusterChange>();
        var arrived = new SemaphoreSlim(0);
        await using var subscription = await ClusterChangeSubscription.StartAsync(fixture.Grains, changes =>
        {
            foreach (var change in changes)
            {
                seen.Enqueue(change);
                arrived.Release();
            }
        }, () => { });
        var nodeName = Guid.NewGuid().ToString();
        var lockName = TestUsers.UniqueName("lock");

        await fixture.Grains.GetGrain<INodeGrain>(nodeName).Heartbeat(new Node { Name = nodeName, Hostname = "h1" }, Admin);
        await Until(seen, arrived, c => c.Kind == ClusterChangeKind.Node && c.Name == nodeName && c.Node?.Hostname == "h1");
        await fixture.Grains.GetGrain<ILockGrain>(lockName).Save(new AccessLock { Name = lockName, Target = new LockTarget { User = "mallory" } }, upsert: false, Admin);
        await Until(seen, arrived, c => c.Kind == ClusterChangeKind.Lock && c.Name == lockName && !c.Removed);
        await fixture.Grains.GetGrain<INodeGrain>(nodeName).Delete(Admin);
        await Until(seen, arrived, c => c.Kind == ClusterChangeKind.Node && c.Name == nodeName && c.Removed);
    }

    [Fact]
    public async Task Unchanged_heartbeat_publishes_nothing()
    {
        var seen = new ConcurrentQueue<ClusterChange>();
        var arrived = new SemaphoreSlim(0);
        await using var subscription = await ClusterChangeSubscription.StartAsync(fixture.Grains, changes =>
        {
            foreach (var change in changes)
            {
                seen.Enqueue(change);
                arrived.Release();
            }
        }, () => { });
        var nodeName = Guid.NewGuid().ToString();
        var node = new Node { Name = nodeName, Hostname = "quiet" };
        var grain = fixture.Grains.GetGrain<INodeGrain>(nodeName);
        await grain.Heartbeat(node, Admin);
        await Until(seen, arrived, c => c.Name == nodeName && c.Node?.Hostname == "quiet");

        await grain.Heartbeat(node, Admin);
        // A changed heartbeat from the same grain is the marker: one sender's messages to the hub arrive in order.
        await grain.Heartbeat(node with { Hostname = "renamed" }, Admin);
        await Until(seen, arrived, c => c.Name == nodeName && c.Node?.Hostname == "renamed");

        Assert.Single(seen, c => c.Name == nodeName && c.Node?.Hostname == "quiet");
    }

    private static async Task Until(ConcurrentQueue<ClusterChange> seen, SemaphoreSlim arrived, Func<ClusterChange, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!seen.Any(wanted))
        {
            await arrived.WaitAsync(timeout.Token);
        }
    }
}
