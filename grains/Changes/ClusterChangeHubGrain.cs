using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Changes;

/// <summary>
/// Fans stored changes out to subscribed observers (gateway routing caches, WatchAccessPolicy streams). It holds
/// nothing durable: see <see cref="IClusterChangeHubGrain"/> for how subscribers recover from a reactivation.
/// </summary>
internal sealed class ClusterChangeHubGrain(ILogger<ClusterChangeHubGrain> logger) : Grain, IClusterChangeHubGrain
{
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly ObserverManager<IClusterChangeObserver> _observers = new(IClusterChangeHubGrain.SubscriptionLifetime, logger);

    public Task<Guid> Subscribe(IClusterChangeObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(_epoch);
    }

    public Task Unsubscribe(IClusterChangeObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Publish(ClusterChange[] changes)
    {
        // Observer calls are one-way: a slow or dead subscriber cannot hold up the grain that changed something.
        _observers.Notify(observer => observer.OnChanges(changes));
        return Task.CompletedTask;
    }
}
