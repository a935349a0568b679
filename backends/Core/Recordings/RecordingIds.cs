namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>
/// Session ids name files and object keys, so only a safe alphabet is accepted: Teleport's are UUIDs.
/// </summary>
public static class RecordingIds
{
    public const int MaxLength = 128;

    public static string Validate(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (sessionId.Length is 0 or > MaxLength || sessionId[0] == '.' || !sessionId.All(IsAllowed))
        {
            throw new ArgumentException($"invalid session id '{sessionId}': use 1-{MaxLength} letters, digits, '-', '_' or '.', not starting with '.'", nameof(sessionId));
        }

        return sessionId;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
