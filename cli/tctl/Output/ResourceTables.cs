using System.Text.Json.Nodes;
using Teleport.Orleans.Cli.Terminal;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>tctl get --format=text: a table per resource kind, with the columns Teleport shows for it.</summary>
internal static class ResourceTables
{
    public static void Write(TextWriter output, JsonArray items)
    {
        var groups = items.OfType<JsonObject>().GroupBy(i => Str(i, "kind")).ToList();
        for (var g = 0; g < groups.Count; g++)
        {
            if (g > 0)
            {
                output.WriteLine();
            }

            var (headers, row) = Columns(groups[g].Key);
            TextTable.Write(output, headers, groups[g].Select(row));
        }
    }

    private static (string[] Headers, Func<JsonObject, IReadOnlyList<string>> Row) Columns(string kind) => kind switch
    {
        "user" => (["User", "Roles", "Logins"], r => [Name(r), List(r, "spec", "roles"), List(r, "spec", "traits", "logins")]),
        "role" => (["Role", "Allowed to login as", "Node Labels"], r => [Name(r), List(r, "spec", "allow", "logins"), Labels(r, "spec", "allow", "node_labels")]),
        "token" => (["Token", "Type", "Labels", "Expiry Time (UTC)"], r => [Name(r), List(r, "spec", "roles"), Labels(r, "metadata", "labels"), Expiry(r)]),
        "cluster_auth_preference" => (["Type", "Second Factor"], r => [Str(r, "spec", "type"), Str(r, "spec", "second_factor")]),
        _ => (["Kind", "Name"], r => [Str(r, "kind"), Name(r)]),
    };

    private static string Name(JsonObject resource) => Str(resource, "metadata", "name");

    private static string Expiry(JsonObject resource) =>
        DateTimeOffset.TryParse(Str(resource, "metadata", "expires"), System.Globalization.CultureInfo.InvariantCulture, out var expires)
            ? TimeText.ExpiryWithRemaining(expires, DateTimeOffset.UtcNow)
            : "never";

    private static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(key, out var next) ? next : null;
        }

        return node;
    }

    private static string Str(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonValue value => value.ToString(),
        JsonNode other => other.ToJsonString(),
        null => "",
    };

    private static string List(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonArray array => string.Join(",", array.Select(v => v?.ToString() ?? "")),
        JsonValue value => value.ToString(),
        _ => "",
    };

    /// <summary>{"env": "prod", "zone": ["a","b"]} → env=prod,zone=a,zone=b.</summary>
    private static string Labels(JsonNode? node, params string[] path) => At(node, path) is JsonObject labels
        ? string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).SelectMany(l => l.Value switch
        {
            JsonArray values => values.Select(v => $"{l.Key}={v}"),
            var value => [$"{l.Key}={value}"],
        }))
        : "";
}
