using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Sessions;

/// <summary>Lists session trackers without calling each; expired trackers are dropped on the next write.</summary>
internal sealed class SessionDirectoryGrain(
    [PersistentState("sessions", StorageNames.ClusterState)] IPersistentState<SessionDirectoryState> state,
    TimeProvider time) : Grain, ISessionDirectoryGrain
{
    public async Task Put(SessionTracker tracker)
    {
        var now = time.GetUtcNow();
        foreach (var stale in state.State.Trackers.Values.Where(t => t.Expires <= now).Select(t => t.SessionId).ToArray())
        {
            state.State.Trackers.Remove(stale);
        }

        state.State.Trackers[tracker.SessionId] = tracker;
        await state.WriteStateAsync();
    }

    public Task<SessionTracker[]> List(bool includeTerminated)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(state.State.Trackers.Values
            .Where(t => t.Expires > now && (includeTerminated || t.State != SessionStates.Terminated))
            .OrderByDescending(t => t.Created)
            .ThenBy(t => t.SessionId, StringComparer.Ordinal)
            .ToArray());
    }
}

[GenerateSerializer]
internal sealed class SessionDirectoryState
{
    [Id(0)] public Dictionary<string, SessionTracker> Trackers { get; set; } = new(StringComparer.Ordinal);
}
