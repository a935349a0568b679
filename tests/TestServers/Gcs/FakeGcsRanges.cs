using System.Globalization;
using System.Text.RegularExpressions;

namespace Teleport.Orleans.TestServers.Gcs;

/// <summary>The two range headers the fake reads, parsed strictly: anything else is a client bug worth reporting.</summary>
internal static partial class FakeGcsRanges
{
    /// <summary>Range: bytes=N- or bytes=N-M (one range, as GCS serves).</summary>
    public static (long Start, long? End)? Parse(string header)
    {
        var match = RangePattern().Match(header);
        if (!match.Success)
        {
            return null;
        }

        var start = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        long? end = match.Groups[2].Success ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        return end < start ? null : (start, end);
    }

    /// <summary>Content-Range: bytes A-B/TOTAL, bytes A-B/*, or bytes */TOTAL (no bytes in this request).</summary>
    public static (long? First, long Last, long? Total)? ParseContentRange(string? header)
    {
        if (header is null || ContentRangePattern().Match(header) is not { Success: true } match)
        {
            return null;
        }

        long? total = match.Groups[4].Value == "*" ? null : long.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
        if (!match.Groups[2].Success)
        {
            return total is null ? null : (null, -1, total);
        }

        var first = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var last = long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        return last < first || last >= total ? null : (first, last, total);
    }

    [GeneratedRegex(@"^bytes=(\d+)-(\d+)?$")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^bytes ((\d+)-(\d+)|\*)/(\d+|\*)$")]
    private static partial Regex ContentRangePattern();
}
