using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Sessions;

/// <summary>One session's tracker; the node reports it, the auth service keeps it 30 minutes past the last update.</summary>
internal sealed class SessionTrackerGrain(
    [PersistentState("session", StorageNames.ClusterState)] IPersistentState<SessionTrackerState> state,
    TimeProvider time) : Grain, ISessionTrackerGrain
{
    /// <summary>Teleport's <c>SessionTrackerTTL</c>.</summary>
    internal static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    private string SessionId => this.GetPrimaryKeyString();

    public async Task<SessionTracker> Upsert(SessionTracker tracker, Caller caller)
    {
        if (!string.Equals(tracker.SessionId, SessionId, StringComparison.Ordinal) || SessionId.Length == 0)
        {
            throw AuthException.BadParameter($"session id \"{tracker.SessionId}\" does not match \"{SessionId}\"");
        }

        if (tracker.State is not (SessionStates.Running or SessionStates.Terminated))
        {
            throw AuthException.BadParameter($"unknown session state \"{tracker.State}\" (use running or terminated)");
        }

        var now = time.GetUtcNow();
        var existing = Live(now);
        if (existing is not null && existing.NodeId != tracker.NodeId)
        {
            throw AuthException.AccessDenied($"session \"{SessionId}\" is tracked by another node");
        }

        if (existing is { State: SessionStates.Terminated } && tracker.State == SessionStates.Running)
        {
            throw AuthException.BadParameter($"session \"{SessionId}\" has ended and cannot run again");
        }

        var saved = tracker with
        {
            Created = existing?.Created ?? (tracker.Created == default ? now : tracker.Created),
            Expires = now + Ttl,
        };
        state.State.Tracker = saved;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey).Put(saved);
        return saved;
    }

    public Task<SessionTracker?> Get() => Task.FromResult(Live(time.GetUtcNow()));

    private SessionTracker? Live(DateTimeOffset now) =>
        state.State.Tracker is { } tracker && tracker.Expires > now ? tracker : null;
}

[GenerateSerializer]
internal sealed class SessionTrackerState
{
    [Id(0)] public SessionTracker? Tracker { get; set; }
}
