namespace Teleport.Orleans.Grains.Users;

/// <summary>Teleport's lockout: 5 failed attempts within 30 minutes lock the account for 30 minutes.</summary>
internal static class LoginLockout
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(30);

    /// <summary>Records a failure; returns the lock expiry when this failure locks the account.</summary>
    public static DateTimeOffset? RecordFailure(List<DateTimeOffset> attempts, DateTimeOffset now)
    {
        attempts.RemoveAll(at => now - at >= AttemptWindow);
        attempts.Add(now);
        if (attempts.Count < MaxAttempts)
        {
            return null;
        }

        attempts.Clear();
        return now + LockDuration;
    }
}
