using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// The auth domain's one login: authenticate the password and second factor (with lockout), refuse a locked user,
/// issue SSH and X.509 certificates, audit. The web API and the gRPC API both call it, so a proxy hands over the
/// user's credentials and never asks for certificates on a user's behalf. A stateless worker: logins run in
/// parallel on every silo.
/// </summary>
public interface IUserLoginGrain : IGrainWithIntegerKey
{
    Task<UserLoginResult> Login(UserLoginRequest request, Caller caller);

    /// <summary>
    /// The web UI's sign-in: the same login (password, second factor, lockout, locks, audit), then a web session for
    /// the user's roles until the certificate would expire, idle after <paramref name="inactivityTimeout"/> (zero: never).
    /// The session is started here, not by the proxy, so a proxy cannot make one without the user's password.
    /// </summary>
    Task<WebLoginResult> LoginWeb(UserLoginRequest request, TimeSpan inactivityTimeout, Caller caller);
}

[GenerateSerializer, Immutable]
public sealed record WebLoginResult
{
    /// <summary>Failure and message when the login was refused; its certificates are not returned.</summary>
    [Id(0)] public required UserLoginResult Login { get; init; }
    [Id(1)] public StartedWebSession? Started { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record UserLoginRequest
{
    [Id(0)] public required string User { get; init; }
    [Id(1)] public required string Password { get; init; }
    [Id(2)] public string OtpCode { get; init; } = "";
    /// <summary>OpenSSH public key line; may be empty when only TLS is wanted.</summary>
    [Id(3)] public string SshPublicKey { get; init; } = "";
    /// <summary>DER SubjectPublicKeyInfo for the X.509 certificate; may be empty.</summary>
    [Id(4)] public byte[] TlsPublicKey { get; init; } = [];
    [Id(5)] public TimeSpan Ttl { get; init; }
    [Id(6)] public string ClientAddress { get; init; } = "";
}

[GenerateSerializer, Immutable]
public sealed record UserLoginResult
{
    [Id(0)] public UserCertificates? Certificates { get; init; }
    [Id(1)] public LoginFailure Failure { get; init; }
    [Id(2)] public string Message { get; init; } = "";
    [Id(3)] public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>
    /// The one mapping of a failed login to the domain's error kinds, which each API maps to its own codes: every
    /// failure is access denied, with one message for wrong user, password or code so it does not reveal which.
    /// </summary>
    public AuthException ToException() =>
        AuthException.AccessDenied(Message.Length > 0 ? Message : "invalid credentials");
}
