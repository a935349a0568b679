using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>
/// Turns the JSON tree a codec writes into YAML, so both formats share one shape. Strings that another YAML reader
/// would take for something else (true, 1000, a date, '*') are quoted.
/// </summary>
internal static partial class YamlWriter
{
    public static string Write(JsonNode document)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(ToYaml(document))).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // The emitter closes each stream with "...", which a '---' separated file does not need.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject map => ToMapping(map),
        JsonArray list => ToSequence(list),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False =>
            new YamlScalarNode(value.GetValueKind() == JsonValueKind.True ? "true" : "false") { Style = ScalarStyle.Plain },
        JsonValue value when value.GetValueKind() == JsonValueKind.String => String(value.GetValue<string>()),
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        _ => throw new ArgumentException($"unexpected JSON value {node.ToJsonString()}", nameof(node)),
    };

    private static YamlMappingNode ToMapping(JsonObject map)
    {
        var mapping = new YamlMappingNode();
        foreach (var (key, value) in map)
        {
            mapping.Add(String(key), ToYaml(value));
        }

        if (map.Count == 0)
        {
            mapping.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
        }

        return mapping;
    }

    private static YamlSequenceNode ToSequence(JsonArray list)
    {
        var sequence = new YamlSequenceNode(list.Select(ToYaml));

        // Lists of strings read best inline: roles: [access, editor].
        if (list.All(item => item is JsonValue))
        {
            sequence.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
        }

        return sequence;
    }

    private static YamlScalarNode String(string value) => new(value) { Style = StyleFor(value) };

    internal static ScalarStyle StyleFor(string value)
    {
        if (value.Any(char.IsControl))
        {
            return ScalarStyle.DoubleQuoted;
        }

        return PlainSafe().IsMatch(value) && !Ambiguous().IsMatch(value) ? ScalarStyle.Plain : ScalarStyle.SingleQuoted;
    }

    // Inner spaces are fine in plain scalars; commas are not (they end an item in [a, b]).
    [GeneratedRegex("^[A-Za-z0-9_/]([A-Za-z0-9_./@+= -]*[A-Za-z0-9_./@+=-])?$")]
    private static partial Regex PlainSafe();

    // YAML 1.1 booleans and nulls, numbers (also hex, octal, binary) and dates.
    [GeneratedRegex(@"^((?i:true|false|yes|no|on|off|y|n|null)|[0-9][0-9_.eE+-]*|0[xXoObB].*|\d{4}-\d\d-\d\d.*)$")]
    private static partial Regex Ambiguous();
}
