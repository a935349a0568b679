using System.Collections.Concurrent;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// Lets a kind of log line through at most <see cref="LinesPerInterval"/> times per key (a source address) every
/// <see cref="Interval"/>, so that a flood of connections cannot become a flood of log lines; the first line of the
/// next interval carries how many were held back. Keys are forgotten once their interval has passed.
/// </summary>
public sealed class LogThrottle(TimeProvider time)
{
    public const int LinesPerInterval = 10;

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private const int MaxKeys = 10_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Whether a line for <paramref name="key"/> may be written now, and how many were held back before it.</summary>
    public bool Allow(string key, out int heldBack)
    {
        var now = time.GetUtcNow();
        var window = _windows.AddOrUpdate(
            key,
            _ => new Window(now, Seen: 1, HeldBack: 0, Reported: 0),
            (_, old) => now - old.Start >= Interval
                ? new Window(now, Seen: 1, HeldBack: 0, Reported: old.HeldBack)
                : old with { Seen = old.Seen + 1, HeldBack = old.Seen + 1 > LinesPerInterval ? old.HeldBack + 1 : old.HeldBack });
        if (_windows.Count > MaxKeys)
        {
            foreach (var stale in _windows.Where(w => now - w.Value.Start >= Interval).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(stale, out _);
            }
        }

        heldBack = window.Reported;
        return window.Seen <= LinesPerInterval;
    }

    /// <summary>The address of an "address:port" text (or the whole text), so that one source is one key whatever its ports.</summary>
    public static string SourceOf(string remote) =>
        System.Net.IPEndPoint.TryParse(remote, out var endpoint) ? endpoint.Address.ToString() : remote;

    private sealed record Window(DateTimeOffset Start, int Seen, int HeldBack, int Reported);
}
