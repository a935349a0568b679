using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebSessions;

/// <summary>
/// Starts web sessions and checks them on each call: the <c>__Host-session</c> cookie names the session, the
/// <c>Authorization: Bearer</c> header must carry that session's token (a cross-site page can make the browser send
/// the cookie, never the header), the session must be neither expired nor idle, and no lock may target its user.
/// The state is in <see cref="IWebSessionGrain"/>, so this class holds none.
/// </summary>
internal sealed partial class WebSessionService(IGrainFactory grains, RoutingCache cache, GatewayOptions options, ILogger<WebSessionService> logger)
{
    private const string ItemKey = "teleport.web-session";

    /// <summary>
    /// Signs a user in: the auth service checks the credentials as for tsh login and starts the session; the answer
    /// carries the session and its bearer token, or why the login was refused.
    /// </summary>
    public async Task<WebLoginResult> Login(UserLoginRequest request, Caller caller)
    {
        var result = await grains.GetGrain<IUserLoginGrain>(0).LoginWeb(request, options.WebIdleTimeout, caller);
        if (result.Started is not null)
        {
            LogStarted(logger, request.User, request.ClientAddress);
        }

        return result;
    }

    /// <summary>Replaces a session with a new one (new id and token, same expiry); the old one ends.</summary>
    public async Task<StartedWebSession> Renew(WebSession session, string clientAddress)
    {
        var renewed = await grains.GetGrain<IWebSessionGrain>(session.Id).Renew(session.BearerHash, clientAddress);
        LogStarted(logger, session.User, clientAddress);
        return renewed;
    }

    /// <summary>The web session of an HTTP call (cookie and bearer header); throws <see cref="WebAuthException"/> if none.</summary>
    public async Task<WebSession> Require(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is WebSession session)
        {
            return session;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        session = await Require(WebSessionCookie.Read(context.Request), bearer);
        context.Items[ItemKey] = session;
        return session;
    }

    /// <summary>Whether the call carries a web session's cookie or bearer (rather than tsh's client certificate).</summary>
    public static bool Presents(HttpContext context) =>
        context.Request.Cookies.ContainsKey(WebSessionCookie.Name)
        || context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks a cookie's session against a bearer token (the web terminal gets the token in its first message).</summary>
    public async Task<WebSession> Require((string User, string SessionId)? cookie, string bearer)
    {
        if (cookie is not { } named)
        {
            throw new WebAuthException(StatusCodes.Status401Unauthorized, "you are not signed in (no session cookie); sign in again");
        }

        if (bearer.Length == 0)
        {
            throw new WebAuthException(StatusCodes.Status403Forbidden, "the call has no bearer token (Authorization: Bearer) for its session cookie; the web UI sends it, other sites cannot (CSRF protection)");
        }

        var grain = grains.GetGrain<IWebSessionGrain>(named.SessionId);
        var check = await grain.Use(WebSessionSecrets.Hash(bearer));
        var session = check.Session;
        if (session is null || check.Failure != WebSessionFailure.None)
        {
            throw new WebAuthException(
                check.Failure == WebSessionFailure.BearerMismatch ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized,
                Describe(check.Failure));
        }

        if (!string.Equals(session.User, named.User, StringComparison.Ordinal))
        {
            throw new WebAuthException(StatusCodes.Status401Unauthorized, "the session cookie is not valid; sign in again");
        }

        await cache.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        if (LockCheck.Find(cache.Locks, session.User) is { } accessLock)
        {
            // A lock on the user ends their web sessions, as it ends their SSH sessions.
            await grain.End();
            LogEndedByLock(logger, session.User, accessLock.Name);
            throw new WebAuthException(StatusCodes.Status403Forbidden, LockCheck.Describe(accessLock, session.User));
        }

        return session;
    }

    /// <summary>
    /// Raised after this proxy ended a session (sign out) or all of a user's sessions (sign out everywhere), with the
    /// user's name, so that the web terminals open here end at once; those on other proxies notice on their next check.
    /// </summary>
    public event Action<string>? Ended;

    /// <summary>Why a session is not usable, in one sentence for the user.</summary>
    public string Describe(WebSessionFailure failure) => failure switch
    {
        WebSessionFailure.Expired => "your web session has expired; sign in again",
        WebSessionFailure.Idle => $"your web session ended after {Duration(options.WebIdleTimeout)} without activity; sign in again",
        WebSessionFailure.BearerMismatch => "the bearer token does not belong to the session in the cookie (CSRF protection)",
        _ => "your web session has ended (signed out or deleted); sign in again",
    };

    public async Task End(WebSession session)
    {
        await grains.GetGrain<IWebSessionGrain>(session.Id).End();
        Ended?.Invoke(session.User);
    }

    public async Task<int> EndAll(WebSession session)
    {
        var ended = await grains.GetGrain<IWebSessionGrain>(session.Id).EndAllOfUser(session.BearerHash);
        Ended?.Invoke(session.User);
        return ended;
    }

    private static string Duration(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(1) ? $"{span.TotalMinutes:0.#} minutes" : $"{span.TotalSeconds:0.#} seconds";

    /// <summary>Hex SHA-256 of the call's bearer token (empty token when none), as sessions keep it.</summary>
    public static string BearerHash(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return WebSessionSecrets.Hash(header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "");
    }
}
