using System.Text.Json;

namespace Teleport.Orleans.Grains.Recordings;

/// <summary>Which session.end events stand for a recording a user can play.</summary>
internal static class RecordedSessions
{
    /// <summary>
    /// An interactive session (a terminal) that the node recorded: its session.end says <c>interactive: true</c> and
    /// a <c>session_recording</c> mode other than <c>off</c>. Exec sessions without a terminal, sessions whose
    /// recording could not be written and the proxy's own relay events (which have no <c>interactive</c>) are not.
    /// </summary>
    public static bool IsRecorded(string sessionEndJson)
    {
        try
        {
            using var document = JsonDocument.Parse(sessionEndJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var interactive = root.TryGetProperty("interactive", out var i) && i.ValueKind == JsonValueKind.True;
            var mode = root.TryGetProperty("session_recording", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return interactive && mode is not (null or "" or "off");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
