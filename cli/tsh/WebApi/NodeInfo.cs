using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>One SSH node as the proxy lists it.</summary>
internal sealed record NodeInfo(string Name, string Hostname, string Address, IReadOnlyDictionary<string, string> Labels, bool Tunnel)
{
    public static NodeInfo Parse(JsonElement item)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // Teleport's web API lists labels as [{name, value}] under "tags" (the UI's server shape) or "labels".
        foreach (var label in item.Items("tags").Concat(item.Items("labels")))
        {
            if (label.Text("name") is { } name)
            {
                labels[name] = label.Text("value") ?? "";
            }
        }

        // A plain object map is accepted too.
        if (item.Field("labels") is { ValueKind: JsonValueKind.Object } map)
        {
            foreach (var property in map.EnumerateObject())
            {
                labels[property.Name] = property.Value.ToString();
            }
        }

        var hostname = item.Text("hostname") ?? item.Text("name") ?? "";
        return new NodeInfo(item.Text("id") ?? item.Text("name") ?? hostname, hostname, item.Text("addr") ?? "", labels, item.Field("tunnel") is { ValueKind: JsonValueKind.True });
    }

    public bool Matches(IReadOnlyDictionary<string, string> selector) =>
        selector.All(s => Labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
