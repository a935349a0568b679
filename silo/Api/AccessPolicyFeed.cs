using System.Runtime.CompilerServices;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Changes;
using Role = Teleport.Orleans.Contracts.Resources.Role;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// The access policy every node's WatchAccessPolicy stream sends. One change-hub subscription per silo, not per
/// node: a role or lock change is built into one policy once and handed to every local stream, so 10,000 watching
/// nodes cost the hub one observer per silo.
/// </summary>
internal sealed class AccessPolicyFeed(IGrainFactory grains) : IAsyncDisposable
{
    private readonly SemaphoreSlim _start = new(1, 1);
    private ClusterChangeSubscription? _subscription;
    private Generation _current = null!;

    /// <summary>The policy now, then again after every change to roles, locks or CAs, until cancelled.</summary>
    public async IAsyncEnumerable<AccessPolicy> Watch([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureStartedAsync();
        while (true)
        {
            var generation = Volatile.Read(ref _current);
            AccessPolicy policy;
            try
            {
                policy = await generation.Policy.Value;
            }
            catch
            {
                // A failed read must not stay cached: the next watcher tries again.
                Interlocked.CompareExchange(ref _current, NewGeneration(), generation);
                throw;
            }

            yield return policy;
            await generation.Next.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        _start.Dispose();
    }

    private async Task EnsureStartedAsync()
    {
        if (Volatile.Read(ref _subscription) is not null)
        {
            return;
        }

        await _start.WaitAsync();
        try
        {
            if (_subscription is null)
            {
                _current = NewGeneration();
                _subscription = await ClusterChangeSubscription.StartAsync(grains, OnChanges, Invalidate);
                // Anything changed between building nothing and subscribing is covered: the first policy is read after this.
                Invalidate();
            }
        }
        finally
        {
            _start.Release();
        }
    }

    private void OnChanges(ClusterChange[] changes)
    {
        if (changes.Any(c => c.Kind != ClusterChangeKind.Node))
        {
            Invalidate();
        }
    }

    private void Invalidate()
    {
        var previous = Interlocked.Exchange(ref _current, NewGeneration());
        previous?.Next.TrySetResult();
    }

    private Generation NewGeneration() => new(new Lazy<Task<AccessPolicy>>(BuildAsync), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task<AccessPolicy> BuildAsync()
    {
        var roles = await grains.GetGrain<IResourceDirectoryGrain<Role>>(IResourceDirectoryGrain<Role>.DefaultKey).List();
        var locks = await grains.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey).List();
        var userCa = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.User)).GetInfo();
        var now = DateTimeOffset.UtcNow;
        var policy = new AccessPolicy();
        policy.Roles.AddRange(roles.Select(RoleMessages.ToMessage));
        policy.Locks.AddRange(locks.Where(l => l.InForce(now)).Select(l => l.ToProto()));
        if (userCa is not null)
        {
            policy.UserCaKeys.Add(userCa.Public.Trim());
        }

        return policy;
    }

    private sealed record Generation(Lazy<Task<AccessPolicy>> Policy, TaskCompletionSource Next);
}
