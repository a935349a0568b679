using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.WebSessions;

/// <summary>
/// One web session: expiry, inactivity and the bearer check. Activity is kept in memory and written at most every
/// tenth of the inactivity timeout (and at least every minute), so a busy page does not write on every call while
/// another silo that activates the grain after a failover sees a recent enough time.
/// </summary>
internal sealed class WebSessionGrain(
    [PersistentState("web-session", StorageNames.ClusterState)] IPersistentState<WebSessionState> state,
    TimeProvider time) : Grain, IWebSessionGrain
{
    private DateTimeOffset _lastActive;

    private IUserWebSessionsGrain UserSessions(string user) => GrainFactory.GetGrain<IUserWebSessionsGrain>(user);

    public async Task Start(WebSession session)
    {
        if (session.Id != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"web session id \"{session.Id}\" does not match the grain");
        }

        state.State.Session = session with { LastActive = session.Created };
        _lastActive = session.Created;
        await state.WriteStateAsync();
        await UserSessions(session.User).Add(session.Id, session.Expires);
    }

    public Task<WebSessionCheck> Use(string bearerHash) => Evaluate(bearerHash, markActive: true);

    public Task<WebSessionCheck> Check(string bearerHash) => Evaluate(bearerHash, markActive: false);

    private async Task<WebSessionCheck> Evaluate(string bearerHash, bool markActive)
    {
        if (state.State.Session is not { } session)
        {
            return new WebSessionCheck { Failure = WebSessionFailure.Unknown };
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(bearerHash), Encoding.ASCII.GetBytes(session.BearerHash)))
        {
            return new WebSessionCheck { Failure = WebSessionFailure.BearerMismatch };
        }

        var now = time.GetUtcNow();
        if (now >= session.Expires)
        {
            await End();
            return new WebSessionCheck { Failure = WebSessionFailure.Expired };
        }

        var lastActive = _lastActive > session.LastActive ? _lastActive : session.LastActive;
        if (session.InactivityTimeout > TimeSpan.Zero && now - lastActive >= session.InactivityTimeout)
        {
            await End();
            return new WebSessionCheck { Failure = WebSessionFailure.Idle };
        }

        if (!markActive)
        {
            return new WebSessionCheck { Session = session };
        }

        _lastActive = now;
        var writeEvery = session.InactivityTimeout > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Min(session.InactivityTimeout.Ticks / 10, TimeSpan.TicksPerMinute))
            : TimeSpan.MaxValue;
        if (now - session.LastActive >= writeEvery)
        {
            state.State.Session = session with { LastActive = now };
            await state.WriteStateAsync();
        }

        return new WebSessionCheck { Session = state.State.Session };
    }

    public Task<WebSession?> Get() => Task.FromResult(state.State.Session);

    public async Task End()
    {
        if (state.State.Session is not { } session)
        {
            return;
        }

        await state.ClearStateAsync();
        await UserSessions(session.User).Remove(session.Id);
        DeactivateOnIdle();
    }
}

[GenerateSerializer]
internal sealed class WebSessionState
{
    [Id(0)] public WebSession? Session { get; set; }
}
