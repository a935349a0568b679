using System.Text.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Access.Audit;

/// <summary>Builds events in Teleport's JSON shape: event, code, time, uid, user, then the event's own fields.</summary>
public static class AuditEventFactory
{
    public static AuditEvent Create(AuditEventType type, Caller caller, DateTimeOffset time, JsonObject? fields = null)
    {
        var id = Guid.NewGuid().ToString();
        var json = new JsonObject
        {
            ["event"] = type.Name,
            ["code"] = type.Code,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["uid"] = id,
            ["user"] = caller.Name,
        };
        if (caller.Address.Length > 0)
        {
            json["addr.remote"] = caller.Address;
        }

        if (fields is not null)
        {
            foreach (var (key, value) in fields.ToArray())
            {
                fields.Remove(key);
                json[key] = value;
            }
        }

        return new AuditEvent
        {
            Id = id,
            Type = type.Name,
            Code = type.Code,
            Time = time,
            User = caller.Name,
            Json = json.ToJsonString(JsonOptions),
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
}
