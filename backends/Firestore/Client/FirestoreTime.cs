using System.Globalization;

namespace Teleport.Orleans.Backends.Firestore.Client;

/// <summary>Firestore's timestamps (RFC 3339, microseconds) in one canonical spelling, so that equal times compare equal as text.</summary>
internal static class FirestoreTime
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Normalize(string timestamp) => Format(Parse(timestamp));

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParse(string? timestamp, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(timestamp))
        {
            return false;
        }

        // .NET reads at most 7 fractional digits; Firestore may send 9.
        var dot = timestamp.IndexOf('.', StringComparison.Ordinal);
        var end = timestamp.IndexOfAny(['Z', 'z', '+', '-'], Math.Max(dot, 0) + 1);
        if (dot > 0 && end > dot + 8)
        {
            timestamp = timestamp[..(dot + 8)] + timestamp[end..];
        }

        return DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);
    }

    public static DateTimeOffset Parse(string timestamp) =>
        TryParse(timestamp, out var time) ? time : throw new FormatException($"'{timestamp}' is not a Firestore timestamp");
}
