using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>One role. Key: the role name.</summary>
public interface IRoleGrain : IGrainWithStringKey
{
    /// <summary>Creates the role; fails if it exists unless <paramref name="upsert"/>.</summary>
    Task<Role> Save(Role role, bool upsert, Caller caller);

    [ReadOnly]
    Task<Role?> Get();

    Task Delete(Caller caller);
}
