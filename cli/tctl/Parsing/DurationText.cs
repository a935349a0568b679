using Teleport.Orleans.Access.Resources;

namespace Teleport.Orleans.Cli.Tctl.Parsing;

/// <summary>Durations as Teleport prints them to people: Go's format without zero tails (1h, 1h30m, 30m, 45s).</summary>
internal static class DurationText
{
    public static string Short(TimeSpan value)
    {
        var text = GoDuration.Format(value);
        if (text.EndsWith("m0s", StringComparison.Ordinal))
        {
            text = text[..^2];
        }

        if (text.EndsWith("h0m", StringComparison.Ordinal))
        {
            text = text[..^2];
        }

        return text;
    }

    /// <summary>Time left until <paramref name="expires"/>, rounded to the minute (to the second under a minute).</summary>
    public static TimeSpan Until(DateTimeOffset expires, DateTimeOffset now)
    {
        var left = expires - now;
        if (left <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var unit = left < TimeSpan.FromMinutes(1) ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMinute;
        return TimeSpan.FromTicks((long)Math.Round(left.Ticks / (double)unit) * unit);
    }
}
