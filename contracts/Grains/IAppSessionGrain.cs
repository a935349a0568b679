using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// One app session. Key: a new random session id (<see cref="NewId"/>). Created once with the user's own proof of
/// identity, which the grain checks itself (a proxy never asks for a session on someone's word); persisted with its
/// expiry.
/// </summary>
public interface IAppSessionGrain : IGrainWithStringKey
{
    /// <summary>Checks the user, the app, the user's roles (app_labels) and locks, then creates the session and signs its JWT.</summary>
    Task<AppSessionCreated> Create(AppSessionRequest request);

    /// <summary>The session, or null when it does not exist or has expired.</summary>
    [ReadOnly]
    Task<AppSession?> Get();

    /// <summary>Ends the session (logout); audits app.session.end. Ending an unknown session does nothing.</summary>
    Task End(Caller caller);

    static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

[GenerateSerializer, Immutable]
public sealed record AppSessionRequest
{
    /// <summary>The user's X.509 certificate (PEM) from tsh login, which the proxy saw presented with its key; empty with a web session.</summary>
    [Id(0)] public string UserCertificatePem { get; init; } = "";
    [Id(1)] public required string AppName { get; init; }
    /// <summary>DER SubjectPublicKeyInfo: when set, an X.509 certificate routed to this app session is issued for it.</summary>
    [Id(2)] public byte[] TlsPublicKey { get; init; } = [];
    [Id(3)] public string ClientAddress { get; init; } = "";
    /// <summary>The host name the proxy serves the app at.</summary>
    [Id(4)] public required string PublicAddr { get; init; }
    /// <summary>The web UI's session (from its cookie) when a browser launches the app: the grain checks it with <see cref="WebBearerHash"/>.</summary>
    [Id(5)] public string WebSessionId { get; init; } = "";
    /// <summary>Hex SHA-256 of the web session's bearer token the browser sent.</summary>
    [Id(6)] public string WebBearerHash { get; init; } = "";
}

[GenerateSerializer, Immutable]
public sealed record AppSessionCreated
{
    [Id(0)] public required AppSession Session { get; init; }
    /// <summary>The app certificate (PEM) when a public key was given; else empty.</summary>
    [Id(1)] public string TlsCertificatePem { get; init; } = "";
    [Id(2)] public string TlsCaPem { get; init; } = "";
}
