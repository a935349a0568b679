using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>A <c>session.end</c> audit event; <see cref="Recorded"/> when it left a recording that can be played.</summary>
internal sealed record SessionEnd(string SessionId, string User, string Node, IReadOnlyList<string> Participants, DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>False for sessions the event says were not recorded (<c>session_recording: off</c>).</summary>
    public bool Recorded { get; init; } = true;

    /// <summary>How long the session ran, when the event has both ends.</summary>
    public TimeSpan? Duration => Start is { } start && End is { } end && end >= start ? end - start : null;

    public static SessionEnd Parse(JsonElement item)
    {
        // Teleport nests event fields at the top level; some stores wrap them in "fields".
        var fields = item.Field("fields") ?? item;
        return new SessionEnd(
            fields.Text("sid") ?? "",
            fields.Text("user") ?? "",
            fields.Text("server_hostname") ?? fields.Text("server_id") ?? "",
            [.. fields.Strings("participants")],
            Time(fields.Text("session_start")),
            Time(fields.Text("session_stop") ?? fields.Text("time")))
        {
            Recorded = fields.Text("session_recording") != "off",
        };
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
