using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Renders JSON objects (audit events) as a YAML document stream, one document each.</summary>
internal static class JsonAsYaml
{
    public static string Write(IEnumerable<JsonObject> objects)
    {
        var stream = new YamlStream(objects.Select(o => new YamlDocument(ToNode(o))));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlNode ToNode(JsonNode? node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToNode(p.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToNode)),
        JsonValue value => new YamlScalarNode(value.ToString()),
        _ => new YamlScalarNode("null"),
    };
}
