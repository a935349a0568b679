using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes resources in Teleport's YAML and JSON shapes, as <c>tctl create</c> and <c>tctl get</c> do.</summary>
public static partial class ResourceYaml
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        // The output is for files and terminals, not HTML: keep '+' and '<' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Reads one or more documents separated by '---'. A document may also be a list of resources, so the output of
    /// <see cref="ToJson"/> reads back. Empty documents are skipped.
    /// </summary>
    /// <exception cref="ResourceFormatException">The text is not valid YAML or a resource in it is not valid.</exception>
    public static IReadOnlyList<ResourceDocument> Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml), skipComments: true);
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new ResourceFormatException((int)e.Start.Line, $"invalid YAML: {WithoutPosition(e)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner can fail this way on some malformed input (e.g. an unclosed [ list); report where it stopped.
            throw new ResourceFormatException((int)scanner.CurrentPosition.Line, "invalid YAML: unexpected end of a list, mapping or string", e);
        }

        var documents = new List<ResourceDocument>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (YamlMap.IsNull(root))
            {
                continue;
            }

            if (root is YamlSequenceNode list)
            {
                documents.AddRange(list.Children.Select(ReadResource));
            }
            else
            {
                documents.Add(ReadResource(root));
            }
        }

        return documents;
    }

    /// <summary>Writes the documents as YAML, separated by '---'.</summary>
    public static string ToYaml(IEnumerable<ResourceDocument> docs)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var builder = new StringBuilder();
        foreach (var doc in docs)
        {
            if (builder.Length > 0)
            {
                builder.Append("---\n");
            }

            builder.Append(YamlWriter.Write(ToTree(doc)));
        }

        return builder.ToString();
    }

    /// <summary>Writes the documents as one JSON array, each element shaped as in YAML.</summary>
    public static string ToJson(IEnumerable<ResourceDocument> docs)
    {
        ArgumentNullException.ThrowIfNull(docs);
        return new JsonArray([.. docs.Select(d => (JsonNode?)ToTree(d))]).ToJsonString(s_json);
    }

    private static ResourceDocument ReadResource(YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw ResourceFormatException.At(node, $"expected a resource (a mapping with kind, version, metadata and spec), not {YamlMap.TypeName(node)}");
        }

        var kindNode = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "kind" }).Value;
        if (kindNode is null || YamlMap.IsNull(kindNode))
        {
            throw ResourceFormatException.At(node, $"missing kind (one of: {string.Join(", ", ResourceKinds.All)})");
        }

        return YamlMap.ReadString(kindNode, "kind") switch
        {
            ResourceKinds.Role => RoleCodec.Read(node),
            ResourceKinds.User => UserCodec.Read(node),
            ResourceKinds.Token => JoinTokenCodec.Read(node),
            ResourceKinds.AuthPreference => AuthPreferenceCodec.Read(node),
            ResourceKinds.Node => NodeCodec.Read(node),
            ResourceKinds.Lock => LockCodec.Read(node),
            ResourceKinds.SessionTracker => throw ResourceFormatException.At(kindNode, "session_tracker resources are written by nodes and cannot be created"),
            var kind => throw ResourceFormatException.At(kindNode,
                $"unknown resource kind '{kind}' (supported: {string.Join(", ", ResourceKinds.All)})"),
        };
    }

    private static JsonObject ToTree(ResourceDocument doc) => doc switch
    {
        RoleDocument role => RoleCodec.Write(role.Role),
        UserDocument user => UserCodec.Write(user.User),
        JoinTokenDocument token => JoinTokenCodec.Write(token.Token),
        AuthPreferenceDocument preference => AuthPreferenceCodec.Write(preference.Preference),
        NodeDocument node => NodeCodec.Write(node.Node),
        LockDocument lockDocument => LockCodec.Write(lockDocument.Lock),
        SessionTrackerDocument tracker => SessionTrackerCodec.Write(tracker.Tracker),
        _ => throw new ArgumentException($"unsupported resource document {doc.GetType().Name}", nameof(doc)),
    };

    // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the line is reported separately.
    private static string WithoutPosition(YamlException e) => PositionPrefix().Replace(e.Message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
