using Orleans.Concurrency;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// Pushes changes of what gateways and nodes route and authorize on (nodes, roles, locks, CAs) to subscribers, so
/// routing caches never poll grains. Key: <see cref="DefaultKey"/>.
/// <para>
/// Why grain observers and not streams: gateways are Orleans clients and observers need no stream provider or
/// pub-sub storage on every backend. Observers are not durable, so the contract is: subscribe, then load a snapshot
/// (list nodes, roles, locks); call <see cref="Subscribe"/> again at least every <see cref="ResubscribeInterval"/>;
/// when it returns a different epoch than before (the hub reactivated and may have dropped events) load the snapshot
/// again. A subscription not renewed within <see cref="SubscriptionLifetime"/> is dropped.
/// </para>
/// </summary>
public interface IClusterChangeHubGrain : IGrainWithStringKey
{
    const string DefaultKey = "all";

    static readonly TimeSpan ResubscribeInterval = TimeSpan.FromSeconds(30);

    static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(90);

    /// <summary>Adds or renews a subscription; returns the hub's epoch (new each activation).</summary>
    Task<Guid> Subscribe(IClusterChangeObserver observer);

    Task Unsubscribe(IClusterChangeObserver observer);

    /// <summary>Called by the resource grains after a change is stored.</summary>
    [OneWay]
    Task Publish(ClusterChange[] changes);
}

/// <summary>A subscriber: a gateway's routing cache, or the auth API's WatchAccessPolicy streams.</summary>
public interface IClusterChangeObserver : IGrainObserver
{
    [OneWay]
    Task OnChanges(ClusterChange[] changes);
}
