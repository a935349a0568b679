using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>
/// What the gateway routes and authorizes on (nodes, roles, locks), held in memory and fed by the cluster change hub so a
/// connection or a listing costs no grain call per node. It follows the hub's contract: subscribe, load a snapshot,
/// renew the subscription every 30 s and reload the snapshot whenever the hub's epoch changes.
/// </summary>
internal sealed partial class RoutingCache(IGrainFactory grains, ILogger<RoutingCache> logger) : BackgroundService, IClusterChangeObserver
{
    private readonly ConcurrentDictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Role> _roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccessLock> _locks = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private DateTimeOffset _loadedAt;
    private long _nodesVersion;

    /// <summary>Completes once the first snapshot is loaded.</summary>
    public Task Ready => _ready.Task;

    public IEnumerable<Node> Nodes
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return _nodes.Values.Where(n => !n.IsExpired(now));
        }
    }

    /// <summary>Changes whenever a node is added, changed or removed (listings rebuild their sorted snapshot then).</summary>
    public long NodesVersion => Interlocked.Read(ref _nodesVersion);

    /// <summary>Every node as last notified, expired ones included (a listing filters those at its own time).</summary>
    public ICollection<Node> AllNodes => _nodes.Values;

    /// <summary>The node by its name (uuid) as last notified, expired or not; null when unknown.</summary>
    public Node? Node(string name) => _nodes.TryGetValue(name, out var node) ? node : null;

    public Role? Role(string name) => _roles.TryGetValue(name, out var role) ? role : null;

    /// <summary>The locks in force now.</summary>
    public IEnumerable<AccessLock> Locks
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return _locks.Values.Where(l => l.InForce(now));
        }
    }

    /// <summary>Raised after a lock was added or changed, so connections it now forbids can be ended.</summary>
    public event Action? LocksChanged;

    public Task OnChanges(ClusterChange[] changes)
    {
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case ClusterChangeKind.Node when change.Removed:
                    _nodes.TryRemove(change.Name, out _);
                    Interlocked.Increment(ref _nodesVersion);
                    break;
                case ClusterChangeKind.Node when change.Node is { } node:
                    _nodes[node.Name] = node;
                    Interlocked.Increment(ref _nodesVersion);
                    break;
                case ClusterChangeKind.Node:
                    _ = Refresh(() => RefreshNode(change.Name));
                    break;
                case ClusterChangeKind.Role:
                    _ = Refresh(() => RefreshRole(change.Name));
                    break;
                case ClusterChangeKind.Lock:
                    _ = Refresh(() => RefreshLock(change.Name));
                    break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads a node straight from its grain (after a miss, a node may be newer than the last notification).</summary>
    public Task<Node?> ReloadNode(string name) => RefreshNode(name);

    private async Task<Node?> RefreshNode(string name)
    {
        var node = await grains.GetGrain<INodeGrain>(name).Get();
        if (node is null)
        {
            _nodes.TryRemove(name, out _);
        }
        else
        {
            _nodes[name] = node;
        }

        Interlocked.Increment(ref _nodesVersion);
        return node;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hub = grains.GetGrain<IClusterChangeHubGrain>(IClusterChangeHubGrain.DefaultKey);
        var self = grains.CreateObjectReference<IClusterChangeObserver>(this);
        Guid? epoch = null;
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var current = await hub.Subscribe(self);
                if (current != epoch)
                {
                    await LoadSnapshot();
                    epoch = current;
                    _ready.TrySetResult();
                }

                delay = IClusterChangeHubGrain.ResubscribeInterval;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The auth pool may be starting or failing over; the cache keeps serving what it has.
                LogRefreshFailed(logger, ex);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        try
        {
            await hub.Unsubscribe(self);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRefreshFailed(logger, ex);
        }

        grains.DeleteObjectReference<IClusterChangeObserver>(self);
    }

    /// <summary>
    /// After a routing miss: reloads the node snapshot unless it is under a second old, because a node that joined
    /// a moment ago may be ahead of its change notification. Misses are rare and the reload is one call per shard.
    /// </summary>
    public async Task ReloadIfStale()
    {
        await _reload.WaitAsync();
        try
        {
            if (DateTimeOffset.UtcNow - _loadedAt > TimeSpan.FromSeconds(1))
            {
                await LoadSnapshot();
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task LoadSnapshot()
    {
        _loadedAt = DateTimeOffset.UtcNow;
        var shards = await Task.WhenAll(Enumerable.Range(0, INodeDirectoryShardGrain.ShardCount)
            .Select(i => grains.GetGrain<INodeDirectoryShardGrain>(i).List()));
        var nodes = shards.SelectMany(s => s).ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var name in _nodes.Keys.Where(k => !nodes.ContainsKey(k)))
        {
            _nodes.TryRemove(name, out _);
        }

        foreach (var node in nodes.Values)
        {
            _nodes[node.Name] = node;
        }

        Interlocked.Increment(ref _nodesVersion);

        var roles = await grains.GetGrain<IResourceDirectoryGrain<Role>>(IResourceDirectoryGrain<Role>.DefaultKey).List();
        _roles.Clear();
        foreach (var role in roles)
        {
            _roles[role.Name] = role;
        }

        var locks = await grains.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey).List();
        foreach (var name in _locks.Keys.Where(k => !locks.Any(l => l.Name == k)))
        {
            _locks.TryRemove(name, out _);
        }

        foreach (var accessLock in locks)
        {
            _locks[accessLock.Name] = accessLock;
        }

        LogSnapshot(logger, _nodes.Count, _roles.Count);
        LocksChanged?.Invoke();
    }

    private async Task RefreshLock(string name)
    {
        if (await grains.GetGrain<ILockGrain>(name).Get() is { } accessLock)
        {
            _locks[name] = accessLock;
            LocksChanged?.Invoke();
        }
        else
        {
            _locks.TryRemove(name, out _);
        }
    }

    private async Task RefreshRole(string name)
    {
        if (await grains.GetGrain<IRoleGrain>(name).Get() is { } role)
        {
            _roles[name] = role;
        }
        else
        {
            _roles.TryRemove(name, out _);
        }
    }

    private async Task Refresh(Func<Task> refresh)
    {
        try
        {
            await refresh();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRefreshFailed(logger, ex);
        }
    }
}
