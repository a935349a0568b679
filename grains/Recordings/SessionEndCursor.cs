using System.Globalization;
using System.Text;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Grains.Recordings;

/// <summary>
/// Where the next page of session.end events starts, newest first: the time (ms) of the last event handed out and
/// the ids of the events at exactly that time already handed out. The next page asks for events up to and
/// including that time and skips those ids, which works on every audit store because all of them take both time
/// bounds inclusively; no store-specific key is needed. Opaque to clients (base64url).
/// </summary>
internal sealed record SessionEndCursor(long TimeMs, IReadOnlyList<string> SeenIds)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TimeMs.ToString(CultureInfo.InvariantCulture)}:{string.Join(',', SeenIds)}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Null for an empty key; a <see cref="AuthException"/> (bad parameter) for one this never handed out.</summary>
    public static SessionEndCursor? Parse(string key)
    {
        if (key.Length == 0)
        {
            return null;
        }

        try
        {
            var base64 = key.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var time))
            {
                var ids = text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length > 0)
                {
                    return new SessionEndCursor(time, ids);
                }
            }
        }
        catch (FormatException)
        {
        }

        throw AuthException.BadParameter("startKey is not a key this server handed out");
    }
}
