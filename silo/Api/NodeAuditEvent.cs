using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// Checks and stamps an audit event a node sends: only session event types (a node cannot forge logins or admin
/// actions), and the server id is the node's own whatever the event says.
/// </summary>
internal static class NodeAuditEvent
{
    public static AuditEvent Parse(string json, string hostId, DateTimeOffset now)
    {
        JsonObject fields;
        try
        {
            fields = JsonNode.Parse(json) as JsonObject ?? throw AuthException.BadParameter("event_json must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw AuthException.BadParameter($"event_json is not valid JSON: {ex.Message}");
        }

        var type = Text(fields, "event");
        if (!AuditEventTypes.SessionEventNames.Contains(type))
        {
            throw AuthException.AccessDenied($"nodes may only emit session events, not \"{type}\"");
        }

        var code = Text(fields, "code");
        if (code.Length == 0)
        {
            throw AuthException.BadParameter($"event \"{type}\" has no code");
        }

        var time = now;
        if (fields["time"] is JsonValue timeValue && timeValue.TryGetValue<string>(out var timeText)
            && DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
        }
        else
        {
            fields["time"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        }

        var id = Text(fields, "uid");
        if (id.Length == 0)
        {
            id = Guid.NewGuid().ToString();
            fields["uid"] = id;
        }

        fields["server_id"] = hostId;
        return new AuditEvent { Id = id, Type = type, Code = code, Time = time, User = Text(fields, "user"), Json = fields.ToJsonString() };
    }

    private static string Text(JsonObject fields, string key) =>
        fields[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}
