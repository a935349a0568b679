using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes <c>kind: token</c>; system roles are written as Teleport spells them (Node, Proxy).</summary>
internal static class JoinTokenCodec
{
    private static readonly Dictionary<string, string> s_systemRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["node"] = "Node",
        ["proxy"] = "Proxy",
    };

    public static JoinTokenDocument Read(YamlNode node)
    {
        var root = YamlMap.Open(node, "", "kind", "version", "metadata", "spec");
        ResourceHeader.CheckVersion(root, ResourceKinds.Token, "v2");
        var metadata = ResourceHeader.Metadata(root, "name", "expires", "labels");
        var name = metadata.RequiredString("name");
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw ResourceFormatException.At(metadata.Required("name"), "metadata.name must be a non-empty token without spaces");
        }

        var spec = YamlMap.Open(root.Required("spec"), "spec", "roles", "join_method");
        var roles = spec.StringList("roles");
        if (roles.Length == 0)
        {
            throw ResourceFormatException.At(spec.KeyOrSelf("roles"), "spec.roles must name at least one system role (Node or Proxy)");
        }

        foreach (var (role, at) in roles)
        {
            if (!s_systemRoles.ContainsKey(role))
            {
                throw ResourceFormatException.At(at, $"unsupported system role '{role}' in spec.roles (supported: Node, Proxy)");
            }
        }

        if (spec.String("join_method") is { } method && method != "token")
        {
            throw ResourceFormatException.At(spec.Required("join_method"), $"unsupported join_method '{method}' in spec.join_method (supported: token)");
        }

        return new JoinTokenDocument(new JoinToken
        {
            Name = name,
            // The contract keeps system roles in lower case ("node", "proxy").
            Roles = [.. roles.Select(r => r.Value.ToLowerInvariant())],
            Expires = UserCodec.ReadTime(metadata, "expires") ?? default,
            Labels = ResourceHeader.Labels(metadata),
        });
    }

    public static JsonObject Write(JoinToken token)
    {
        var metadata = new JsonObject { ["name"] = token.Name };
        if (token.Expires != default)
        {
            metadata["expires"] = Rfc3339.Format(token.Expires);
        }

        ResourceHeader.SetIfPresent(metadata, "labels", ResourceHeader.Map(token.Labels));
        var spec = new JsonObject
        {
            ["roles"] = ResourceHeader.List(token.Roles.Select(r => s_systemRoles.TryGetValue(r, out var spelled) ? spelled : r)),
            ["join_method"] = "token",
        };
        return ResourceHeader.Write(ResourceKinds.Token, "v2", metadata, spec);
    }
}
