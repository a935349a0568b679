using Orleans.Concurrency;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// One browser sign-in (Teleport's web session). Key: the session id, a random secret that travels in the
/// <c>__Host-session</c> cookie. The bearer token is kept only as its SHA-256, so a read of the storage cannot
/// act as the user. Every proxy reads sessions from here, so any proxy serves any signed-in user.
/// </summary>
public interface IWebSessionGrain : IGrainWithStringKey
{
    /// <summary>Stores a new session and registers it with the user's list (for "sign out everywhere").</summary>
    Task Start(WebSession session);

    /// <summary>
    /// The session when <paramref name="bearerHash"/> is its bearer's hash and it is neither expired nor idle past
    /// its inactivity timeout; marks it active. Otherwise a reason in <see cref="WebSessionCheck.Failure"/>.
    /// </summary>
    Task<WebSessionCheck> Use(string bearerHash);

    /// <summary>
    /// As <see cref="Use"/> (an expired or idle session ends) without marking the session active: an open web
    /// terminal checks its session this way while its user is not typing.
    /// </summary>
    Task<WebSessionCheck> Check(string bearerHash);

    /// <summary>The session as stored (null when unknown or ended), without checking or touching it.</summary>
    [ReadOnly]
    Task<WebSession?> Get();

    /// <summary>Ends the session (logout, renewal, a lock); ending an unknown session does nothing.</summary>
    Task End();

    /// <summary>
    /// A new session (new id and bearer token; the same user, roles and expiry) in place of this one, which ends:
    /// Teleport's renewal, which rotates the token and restarts the idle clock. Refused unless the bearer is this
    /// session's and it is usable.
    /// </summary>
    Task<StartedWebSession> Renew(string bearerHash, string clientAddress);

    /// <summary>Ends every session of this session's user ("sign out everywhere"); returns how many were open.</summary>
    Task<int> EndAllOfUser(string bearerHash);

    /// <summary>
    /// Certificates for the session's user on <paramref name="sshPublicKey"/> until the session expires (at least a
    /// minute): the web terminal's own short-lived key. Refused unless the bearer is this session's and it is usable.
    /// </summary>
    Task<UserCertificates> IssueUserCertificates(string bearerHash, string sshPublicKey, string clientAddress);
}

/// <summary>A session just started and its bearer token, which only the user's browser keeps.</summary>
[GenerateSerializer, Immutable]
public sealed record StartedWebSession
{
    [Id(0)] public required WebSession Session { get; init; }
    [Id(1)] public required string Bearer { get; init; }
}

/// <summary>All web sessions of one user. Key: the user name.</summary>
public interface IUserWebSessionsGrain : IGrainWithStringKey
{
    Task Add(string sessionId, DateTimeOffset expires);

    /// <summary>Interleaves, so that <see cref="EndAll"/> can wait on sessions that remove themselves here.</summary>
    [AlwaysInterleave]
    Task Remove(string sessionId);

    /// <summary>Ends every session of the user; returns how many were open.</summary>
    Task<int> EndAll();
}

[GenerateSerializer, Immutable]
public sealed record WebSession
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string User { get; init; }
    /// <summary>Hex SHA-256 of the bearer token.</summary>
    [Id(2)] public required string BearerHash { get; init; }
    [Id(3)] public string[] Roles { get; init; } = [];
    [Id(4)] public Dictionary<string, string[]> Traits { get; init; } = [];
    [Id(5)] public string[] Logins { get; init; } = [];
    [Id(6)] public DateTimeOffset Created { get; init; }
    [Id(7)] public DateTimeOffset Expires { get; init; }
    /// <summary>Zero: no inactivity limit.</summary>
    [Id(8)] public TimeSpan InactivityTimeout { get; init; }
    [Id(9)] public DateTimeOffset LastActive { get; init; }
    [Id(10)] public string ClientAddress { get; init; } = "";
}

[GenerateSerializer, Immutable]
public sealed record WebSessionCheck
{
    [Id(0)] public WebSession? Session { get; init; }
    [Id(1)] public WebSessionFailure Failure { get; init; }
}

public enum WebSessionFailure
{
    None = 0,
    /// <summary>No such session, or it has ended (logout, renewal, sign out everywhere).</summary>
    Unknown = 1,
    Expired = 2,
    Idle = 3,
    /// <summary>The bearer token belongs to another session (or none): a cross-site request.</summary>
    BearerMismatch = 4,
}
