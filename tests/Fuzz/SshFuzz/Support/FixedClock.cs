namespace Teleport.Orleans.Ssh.Fuzz.Support;

/// <summary>A clock stopped at <see cref="Now"/>, so that certificate validity checks are deterministic.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly FixedClock Instance = new();

    public override DateTimeOffset GetUtcNow() => Now;
}
