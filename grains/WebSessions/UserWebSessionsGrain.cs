using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.WebSessions;

/// <summary>The ids of one user's web sessions, so that "sign out everywhere" can end each; expired ids are pruned on add.</summary>
internal sealed class UserWebSessionsGrain(
    [PersistentState("user-web-sessions", StorageNames.ClusterState)] IPersistentState<UserWebSessionsState> state,
    TimeProvider time) : Grain, IUserWebSessionsGrain
{
    public async Task Add(string sessionId, DateTimeOffset expires)
    {
        var now = time.GetUtcNow();
        foreach (var expired in state.State.Sessions.Where(p => p.Value <= now).Select(p => p.Key).ToArray())
        {
            state.State.Sessions.Remove(expired);
        }

        state.State.Sessions[sessionId] = expires;
        await state.WriteStateAsync();
    }

    public async Task Remove(string sessionId)
    {
        if (state.State.Sessions.Remove(sessionId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<int> EndAll()
    {
        var ids = state.State.Sessions.Keys.ToArray();
        var now = time.GetUtcNow();
        var open = state.State.Sessions.Count(p => p.Value > now);
        state.State.Sessions.Clear();
        await state.WriteStateAsync();
        // Each session's End calls Remove here, which finds nothing left to remove.
        await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IWebSessionGrain>(id).End()));
        return open;
    }
}

[GenerateSerializer]
internal sealed class UserWebSessionsState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> Sessions { get; set; } = [];
}
