using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Changes;

/// <summary>
/// Keeps one subscription to <see cref="IClusterChangeHubGrain"/> alive for a silo-side or client-side cache:
/// renews it every <see cref="IClusterChangeHubGrain.ResubscribeInterval"/> and calls <c>onResync</c> when events may
/// have been lost (the hub reactivated, or renewing failed), so the owner reloads its snapshot.
/// </summary>
public sealed class ClusterChangeSubscription : IClusterChangeObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly Action<ClusterChange[]> _onChanges;
    private readonly Action _onResync;
    private readonly CancellationTokenSource _stop = new();
    private IClusterChangeObserver? _reference;
    private Task _renewal = Task.CompletedTask;
    private Guid _epoch;
    private bool _missed;

    private ClusterChangeSubscription(IGrainFactory grains, Action<ClusterChange[]> onChanges, Action onResync)
    {
        _grains = grains;
        _onChanges = onChanges;
        _onResync = onResync;
    }

    /// <summary>Subscribes; load the snapshot after this returns so that no change falls between the two.</summary>
    public static async Task<ClusterChangeSubscription> StartAsync(IGrainFactory grains, Action<ClusterChange[]> onChanges, Action onResync)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var subscription = new ClusterChangeSubscription(grains, onChanges, onResync);
        subscription._reference = grains.CreateObjectReference<IClusterChangeObserver>(subscription);
        subscription._epoch = await subscription.Hub.Subscribe(subscription._reference);
        subscription._renewal = subscription.RenewAsync();
        return subscription;
    }

    private IClusterChangeHubGrain Hub => _grains.GetGrain<IClusterChangeHubGrain>(IClusterChangeHubGrain.DefaultKey);

    Task IClusterChangeObserver.OnChanges(ClusterChange[] changes)
    {
        _onChanges(changes);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        if (_reference is not null)
        {
            try
            {
                await Hub.Unsubscribe(_reference);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The hub forgets subscriptions that are not renewed; an unreachable hub needs no goodbye.
            }

            _grains.DeleteObjectReference<IClusterChangeObserver>(_reference);
        }

        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(IClusterChangeHubGrain.ResubscribeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var epoch = await Hub.Subscribe(_reference!);
                    if (epoch != _epoch || _missed)
                    {
                        _epoch = epoch;
                        _missed = false;
                        _onResync();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // Changes published meanwhile may have been missed: resync once the hub answers again.
                    _missed = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
