namespace Teleport.Orleans.Contracts.Resources;

/// <summary>An invite or password-reset token that the web flow redeems to set a password (and enrol OTP).</summary>
[GenerateSerializer, Immutable]
public sealed record UserToken
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string User { get; init; }
    [Id(2)] public UserTokenKind Kind { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset Expires { get; init; }
    /// <summary>Base32 TOTP secret the invitee enrols; shown once as a QR code on the invite page.</summary>
    [Id(5)] public string OtpSecret { get; init; } = "";
}

public enum UserTokenKind
{
    Invite = 0,
    Reset = 1,
}
