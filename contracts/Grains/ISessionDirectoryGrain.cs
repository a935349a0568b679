using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>The listing of session trackers, kept by the tracker grains; drops expired ones. Key: <see cref="DefaultKey"/>.</summary>
public interface ISessionDirectoryGrain : IGrainWithStringKey
{
    const string DefaultKey = "all";

    Task Put(SessionTracker tracker);

    /// <summary>Unexpired trackers, newest first.</summary>
    [ReadOnly]
    Task<SessionTracker[]> List(bool includeTerminated);
}
