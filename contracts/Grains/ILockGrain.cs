using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>One lock. Key: the lock name. Listed through <c>IResourceDirectoryGrain&lt;AccessLock&gt;</c>.</summary>
public interface ILockGrain : IGrainWithStringKey
{
    /// <summary>Creates the lock; fails if it exists unless <paramref name="upsert"/>.</summary>
    Task<AccessLock> Save(AccessLock lockResource, bool upsert, Caller caller);

    [ReadOnly]
    Task<AccessLock?> Get();

    Task Delete(Caller caller);
}
