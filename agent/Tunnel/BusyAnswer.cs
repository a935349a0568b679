using System.Globalization;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// The proxy's answer when it admits no more tunnel handshakes now: <c>teleport-tunnel/1 busy</c>, since the proxy
/// schedules returns with <c> retry-after=SECONDS</c>, the moment it has for this agent.
/// </summary>
internal static class BusyAnswer
{
    /// <summary>The longest wait taken from a proxy; a larger figure is ignored (random backoff instead).</summary>
    public static readonly TimeSpan LongestAccepted = TimeSpan.FromMinutes(10);

    private const string RetryAfter = " retry-after=";

    /// <summary>Whether <paramref name="line"/> is the busy answer, and the wait the proxy asked for if it gave a sane one.</summary>
    public static bool TryParse(string line, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        if (!line.StartsWith(TunnelDialer.BusyLine, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line.AsSpan(TunnelDialer.BusyLine.Length);
        if (rest.IsEmpty)
        {
            return true;
        }

        if (!rest.StartsWith(RetryAfter, StringComparison.Ordinal))
        {
            return false;
        }

        if (double.TryParse(rest[RetryAfter.Length..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0 && seconds <= LongestAccepted.TotalSeconds)
        {
            retryAfter = TimeSpan.FromSeconds(seconds);
        }

        return true;
    }
}
