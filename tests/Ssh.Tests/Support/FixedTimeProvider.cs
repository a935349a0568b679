namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>A clock stopped at a chosen instant, for validity-window tests.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
