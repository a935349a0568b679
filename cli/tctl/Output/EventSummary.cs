using System.Globalization;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>One audit event (Teleport JSON) as a table row: time, type, code, user and a short summary.</summary>
internal static class EventSummary
{
    // Fields shown in the summary, in this order, when present; the row's other columns are left out.
    private static readonly string[] SummaryFields =
    [
        "name", "login", "server_hostname", "server_id", "addr.remote", "method", "roles", "expires", "sid", "error", "message",
    ];

    public static IReadOnlyList<string> Row(JsonObject e) =>
    [
        Time(e),
        Text(e["event"]),
        Text(e["code"]),
        Text(e["user"]),
        Summary(e),
    ];

    public static string Summary(JsonObject e)
    {
        var parts = new List<string>();
        if (e["success"] is JsonValue success && success.TryGetValue<bool>(out var ok))
        {
            parts.Add(ok ? "success" : "failed");
        }

        foreach (var field in SummaryFields)
        {
            var value = Text(e[field]);
            if (value.Length > 0)
            {
                parts.Add($"{field}={value}");
            }
        }

        if (e["raw"] is not null && parts.Count == 0)
        {
            parts.Add(Text(e["raw"]));
        }

        return string.Join(" ", parts);
    }

    private static string Time(JsonObject e) =>
        DateTimeOffset.TryParse(Text(e["time"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? TimeText.Iso(time)
            : Text(e["time"]);

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray array => string.Join(",", array.Select(Text)),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
