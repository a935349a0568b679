using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>One session's tracker. Key: the session id. It expires 30 minutes after its last update.</summary>
public interface ISessionTrackerGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the tracker; the auth service sets <see cref="SessionTracker.Expires"/>.</summary>
    Task<SessionTracker> Upsert(SessionTracker tracker, Caller caller);

    /// <summary>The tracker, or null when there is none or it expired.</summary>
    [ReadOnly]
    Task<SessionTracker?> Get();
}
