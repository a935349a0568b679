namespace Teleport.Orleans.Contracts.Resources;

/// <summary>A local user as listed and exported: never carries the password hash or the OTP secret.</summary>
[GenerateSerializer, Immutable]
public sealed record User
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string[] Roles { get; init; } = [];
    /// <summary>Traits such as <c>logins</c>, expanded into role templates like <c>{{internal.logins}}</c>.</summary>
    [Id(2)] public Dictionary<string, string[]> Traits { get; init; } = new();
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public string CreatedBy { get; init; } = "";
    [Id(5)] public bool HasPassword { get; init; }
    [Id(6)] public bool HasOtp { get; init; }
    /// <summary>Set while the account is locked after too many failed logins.</summary>
    [Id(7)] public DateTimeOffset? LockedUntil { get; init; }
    [Id(8)] public string LockReason { get; init; } = "";
}
