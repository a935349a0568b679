using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>One local user: profile, bcrypt password hash, TOTP secret and lockout state. Key: the user name.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; fails if it exists unless <paramref name="upsert"/>, which keeps existing credentials.</summary>
    Task<User> Save(User user, bool upsert, Caller caller);

    [ReadOnly]
    Task<User?> Get();

    Task Delete(Caller caller);

    /// <summary>Checks password and (per the auth preference) the OTP code; counts failures and locks the account.</summary>
    Task<LoginResult> Authenticate(PasswordLogin login);

    /// <summary>Sets the password and, when given, enrols the TOTP secret after checking a code from it.</summary>
    Task SetCredentials(string password, string otpSecret, string otpCode, Caller caller);

    /// <summary>Removes the password and OTP device (before a reset token is issued).</summary>
    Task ClearCredentials(Caller caller);

    Task Unlock(Caller caller);
}

[GenerateSerializer, Immutable]
public sealed record PasswordLogin
{
    [Id(0)] public required string Password { get; init; }
    [Id(1)] public string OtpCode { get; init; } = "";
    [Id(2)] public string ClientAddress { get; init; } = "";
}

[GenerateSerializer, Immutable]
public sealed record LoginResult
{
    [Id(0)] public bool Success { get; init; }
    [Id(1)] public LoginFailure Failure { get; init; }
    [Id(2)] public string Message { get; init; } = "";
    [Id(3)] public User? User { get; init; }
    [Id(4)] public DateTimeOffset? LockedUntil { get; init; }
}

public enum LoginFailure
{
    None = 0,
    /// <summary>Wrong user, password or OTP code; deliberately one answer so it does not reveal which.</summary>
    InvalidCredentials = 1,
    Locked = 2,
    OtpRequired = 3,
    NoPassword = 4,
}
