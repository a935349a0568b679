using System.Globalization;
using Teleport.Orleans.Cli.Tctl.Parsing;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Timestamps as tctl prints them: UTC, Go's RFC 822 layout.</summary>
internal static class TimeText
{
    /// <summary>"02 Jan 06 15:04 UTC".</summary>
    public static string Rfc822(DateTimeOffset time) =>
        time.UtcDateTime.ToString("dd MMM yy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"02 Jan 06 15:04 UTC (29m)": the expiry and the time left.</summary>
    public static string ExpiryWithRemaining(DateTimeOffset expires, DateTimeOffset now) =>
        $"{Rfc822(expires)} ({DurationText.Short(DurationText.Until(expires, now))})";

    /// <summary>ISO 8601 with seconds, for event listings.</summary>
    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
