using System.Globalization;

namespace Teleport.Orleans.Failover;

/// <summary>The node's own account of its heartbeats: the "Heartbeat failed" lines of its log since the load began.</summary>
internal static class NodeLog
{
    /// <summary>Times of the failures, relative to <paramref name="since"/> (the recorder's zero).</summary>
    public static IReadOnlyList<TimeSpan> HeartbeatFailures(string path, DateTime since) =>
        !File.Exists(path) ? []
        : [.. File.ReadLines(path)
            .Where(l => l.Contains("Heartbeat failed", StringComparison.Ordinal))
            .Select(l => DateTime.TryParse(l.Split(' ')[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : DateTime.MinValue)
            .Where(at => at >= since)
            .Select(at => at - since)];
}
