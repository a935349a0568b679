using System.Collections.Concurrent;
using Orleans.TestingHost;
using Teleport.Orleans.Backends.Sqlite.Hosting;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Changes;
using Teleport.Orleans.Grains.Hosting;
using Teleport.Orleans.Grains.Nodes;

namespace Teleport.Orleans.Grains.Tests.Nodes;

/// <summary>The directory's expiry sweep on a silo with a two-second node TTL and the real clock.</summary>
public sealed class NodeSweepTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "teleport-sweep-" + Guid.NewGuid().ToString("N"));
    private InProcessTestCluster? _cluster;

    private IGrainFactory Grains => _cluster!.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseSqliteBackend(_dataDir, StorageNames.ClusterState);
            silo.AddAuthGrains(lease => lease.Ttl = TimeSpan.FromSeconds(2));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Expired_node_is_swept_announced_as_removed_and_forgotten()
    {
        var removed = new TaskCompletionSource<ClusterChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = Guid.NewGuid().ToString();
        await using var subscription = await ClusterChangeSubscription.StartAsync(Grains, changes =>
        {
            foreach (var change in changes.Where(c => c.Name == name && c.Removed))
            {
                removed.TrySetResult(change);
            }
        }, () => { });

        var lease = await Grains.GetGrain<INodeGrain>(name).Heartbeat(new Node { Name = name, Hostname = "dies" }, new Caller { Name = "node" });
        var change = await removed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ClusterChangeKind.Node, change.Kind);
        Assert.True(DateTimeOffset.UtcNow >= lease.Expires, "removed before the lease ran out");
        Assert.DoesNotContain(await Grains.ListNodesAsync(), n => n.Name == name);
        Assert.Null(await Grains.GetGrain<INodeGrain>(name).Get());
    }
}
