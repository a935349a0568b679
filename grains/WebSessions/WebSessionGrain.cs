using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Contracts.Errors;
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

    public async Task<StartedWebSession> Renew(string bearerHash, string clientAddress)
    {
        var session = await Require(bearerHash);
        // A renewed session keeps the sign-in's expiry: renewal rotates the token and restarts the idle clock only.
        var renewed = NewWebSession.For(
            session.User, session.Roles, session.Traits, session.Logins, time.GetUtcNow(), session.Expires, session.InactivityTimeout, clientAddress);
        await GrainFactory.GetGrain<IWebSessionGrain>(renewed.Session.Id).Start(renewed.Session);
        await End();
        return renewed;
    }

    public async Task<int> EndAllOfUser(string bearerHash)
    {
        var session = await Require(bearerHash);
        // This one first: ending the user's list of sessions would otherwise call back into this grain.
        await End();
        return 1 + await UserSessions(session.User).EndAll();
    }

    public async Task<UserCertificates> IssueUserCertificates(string bearerHash, string sshPublicKey, string clientAddress)
    {
        var session = await Require(bearerHash);
        var remaining = session.Expires - time.GetUtcNow();
        return await GrainFactory.GetGrain<ICertificateIssuerGrain>(0).IssueUserCertificates(new UserCertificateRequest
        {
            User = session.User,
            SshPublicKey = sshPublicKey,
            Ttl = remaining > TimeSpan.FromMinutes(1) ? remaining : TimeSpan.FromMinutes(1),
            ClientAddress = clientAddress,
        }, new Caller { Name = session.User, Roles = session.Roles, Address = clientAddress });
    }

    /// <summary>The session, marked active, when the bearer is its own and it is usable; refused otherwise.</summary>
    private async Task<WebSession> Require(string bearerHash)
    {
        var check = await Evaluate(bearerHash, markActive: true);
        return check.Session ?? throw AuthException.AccessDenied(check.Failure switch
        {
            WebSessionFailure.Expired => "the web session has expired; sign in again",
            WebSessionFailure.Idle => "the web session ended without activity; sign in again",
            WebSessionFailure.BearerMismatch => "the bearer token does not belong to the web session",
            _ => "the web session has ended; sign in again",
        });
    }

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
