using System.Diagnostics;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>The system clock with a monotonic timestamp that tests can move forward.</summary>
internal sealed class ManualTimestampProvider : TimeProvider
{
    private long _offset;

    public override long GetTimestamp() => Stopwatch.GetTimestamp() + Interlocked.Read(ref _offset);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offset, (long)(by.TotalSeconds * TimestampFrequency));
}
