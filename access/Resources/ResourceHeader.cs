using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>The parts every resource shares: <c>kind</c>, <c>version</c> and <c>metadata</c>.</summary>
internal static class ResourceHeader
{
    // Keys Teleport writes in metadata that carry nothing this platform keeps; accepted so `tctl get` output can be re-applied.
    private static readonly string[] s_ignoredMetadataKeys = ["revision", "namespace"];

    public static void CheckVersion(YamlMap root, string kind, params string[] supported)
    {
        var version = root.RequiredString("version");
        if (!supported.Contains(version, StringComparer.Ordinal))
        {
            throw ResourceFormatException.At(root.Required("version"),
                $"unsupported version '{version}' for kind '{kind}' (supported: {string.Join(", ", supported)})");
        }
    }

    public static YamlMap Metadata(YamlMap root, params string[] keys)
    {
        var metadata = YamlMap.Open(root.Required("metadata"), "metadata", [.. keys, .. s_ignoredMetadataKeys]);
        if (metadata.String("namespace") is { } ns && ns != "default")
        {
            throw ResourceFormatException.At(metadata.Required("namespace"), $"unsupported namespace '{ns}' in metadata.namespace (only 'default')");
        }

        return metadata;
    }

    public static Dictionary<string, string> Labels(YamlMap metadata)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata.Get("labels") is { } node)
        {
            foreach (var (key, _, value) in YamlMap.Entries(node, metadata.PathOf("labels")))
            {
                labels[key] = YamlMap.ReadString(value, $"{metadata.PathOf("labels")}.{key}");
            }
        }

        return labels;
    }

    /// <summary>Runs a validator that reports problems as a message, turning them into an error at <paramref name="node"/>.</summary>
    public static void Check(YamlNode node, string? error)
    {
        if (error is not null)
        {
            throw ResourceFormatException.At(node, error);
        }
    }

    public static JsonObject Write(string kind, string version, JsonObject metadata, JsonObject spec) => new()
    {
        ["kind"] = kind,
        ["version"] = version,
        ["metadata"] = metadata,
        ["spec"] = spec,
    };

    /// <summary>Adds <paramref name="value"/> unless it is null, so empty parts are left out of the output.</summary>
    public static void SetIfPresent(JsonObject target, string key, JsonNode? value)
    {
        if (value is not null)
        {
            target[key] = value;
        }
    }

    public static JsonObject? Map(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map.Count == 0 ? null : map;
    }

    public static JsonArray List(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
