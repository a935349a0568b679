using System.Globalization;
using System.Text.RegularExpressions;

namespace Teleport.Orleans.Access.Resources;

/// <summary>RFC 3339 timestamps as Go writes them ("2025-01-02T03:04:05Z", up to nanoseconds).</summary>
internal static partial class Rfc3339
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // .NET keeps 7 fractional digits (ticks); Go may write 9.
        var fraction = match.Groups["fraction"].Value;
        fraction = fraction.Length == 0 ? "" : "." + fraction.PadRight(7, '0')[..7];
        var zone = match.Groups["zone"].Value is "Z" or "z" ? "+00:00" : match.Groups["zone"].Value;
        var normalized = $"{match.Groups["date"].Value}T{match.Groups["time"].Value}{fraction}{zone}";
        var format = fraction.Length == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz";
        return DateTimeOffset.TryParseExact(normalized, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt ](?<time>\d{2}:\d{2}:\d{2})(\.(?<fraction>\d{1,9}))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Pattern();
}
