using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Users;

[GenerateSerializer]
internal sealed class UserState
{
    [Id(0)] public User? Profile { get; set; }
    [Id(1)] public string PasswordHash { get; set; } = "";
    [Id(2)] public string OtpSecret { get; set; } = "";
    /// <summary>The last TOTP step accepted, so a code cannot be replayed.</summary>
    [Id(3)] public long LastOtpStep { get; set; }
    [Id(4)] public List<DateTimeOffset> FailedAttempts { get; set; } = [];
    [Id(5)] public DateTimeOffset? LockedUntil { get; set; }
}
