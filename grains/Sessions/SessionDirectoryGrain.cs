using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Sessions;

/// <summary>
/// Lists session trackers without calling each. Only the running sessions are persisted: each tracker is its own
/// grain's state already, and this index was written whole on every update, ended sessions included, so a write at
/// 30 new sessions a second carried every session of the last 30 minutes and cost more with each (the auth server's
/// CPU per session doubled in 80 s). Ended trackers are listed from memory until their TTL (the grain is kept that
/// long); after this grain moves or restarts, the ones ended before are still found by id, not listed.
/// </summary>
[CollectionAgeLimit(Minutes = 31)]
internal sealed class SessionDirectoryGrain(
    [PersistentState("sessions", StorageNames.ClusterState)] IPersistentState<SessionDirectoryState> state,
    TimeProvider time) : Grain, ISessionDirectoryGrain
{
    private readonly Dictionary<string, SessionTracker> _ended = new(StringComparer.Ordinal);

    // Ended trackers in the order they expire (each expires a TTL after its last update, so in insertion order).
    private readonly Queue<SessionTracker> _endedByExpiry = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Ended trackers an earlier version persisted move to memory, once.
        var running = state.State.Trackers;
        foreach (var ended in running.Values.Where(t => t.State == SessionStates.Terminated).ToArray())
        {
            running.Remove(ended.SessionId);
            Remember(ended);
        }

        return Task.CompletedTask;
    }

    public async Task Put(SessionTracker tracker)
    {
        var now = time.GetUtcNow();
        ForgetExpiredEnded(now);
        var running = state.State.Trackers;
        foreach (var stale in running.Values.Where(t => t.Expires <= now).Select(t => t.SessionId).ToArray())
        {
            running.Remove(stale);
        }

        if (tracker.State == SessionStates.Terminated)
        {
            Remember(tracker);
            if (!running.Remove(tracker.SessionId))
            {
                return;
            }
        }
        else
        {
            running[tracker.SessionId] = tracker;
        }

        await state.WriteStateAsync();
    }

    public Task<SessionTracker[]> List(bool includeTerminated)
    {
        var now = time.GetUtcNow();
        var running = state.State.Trackers;
        var trackers = includeTerminated
            ? running.Values.Concat(_ended.Values.Where(t => !running.ContainsKey(t.SessionId)))
            : running.Values;
        return Task.FromResult(trackers
            .Where(t => t.Expires > now)
            .OrderByDescending(t => t.Created)
            .ThenBy(t => t.SessionId, StringComparer.Ordinal)
            .ToArray());
    }

    private void Remember(SessionTracker ended)
    {
        _ended[ended.SessionId] = ended;
        _endedByExpiry.Enqueue(ended);
    }

    private void ForgetExpiredEnded(DateTimeOffset now)
    {
        while (_endedByExpiry.TryPeek(out var oldest) && oldest.Expires <= now)
        {
            _endedByExpiry.Dequeue();
            // Only if no later update of the same session replaced it.
            if (_ended.TryGetValue(oldest.SessionId, out var current) && ReferenceEquals(current, oldest))
            {
                _ended.Remove(oldest.SessionId);
            }
        }
    }
}

/// <summary>The running sessions' trackers (ended ones are not persisted, see <see cref="SessionDirectoryGrain"/>).</summary>
[GenerateSerializer]
internal sealed class SessionDirectoryState
{
    [Id(0)] public Dictionary<string, SessionTracker> Trackers { get; set; } = new(StringComparer.Ordinal);
}
