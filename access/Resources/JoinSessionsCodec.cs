using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes a role's <c>allow.join_sessions</c>: a list of {name, roles, kinds, modes}.</summary>
internal static class JoinSessionsCodec
{
    /// <summary>The session kinds a policy may name; this cluster has SSH sessions only, Teleport's k8s is accepted for YAML written for Teleport.</summary>
    public static readonly string[] Kinds = ["ssh", "k8s", "*"];

    /// <summary>Teleport's participant modes.</summary>
    public static readonly string[] Modes = ["observer", "moderator", "peer"];

    public static SessionJoinPolicy[] Read(YamlMap conditions)
    {
        if (conditions.Get("join_sessions") is not { } node)
        {
            return [];
        }

        var path = conditions.PathOf("join_sessions");
        if (node is not YamlSequenceNode sequence)
        {
            throw ResourceFormatException.At(node, $"{path} must be a list of policies, not {YamlMap.TypeName(node)}");
        }

        var policies = new List<SessionJoinPolicy>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var entry = YamlMap.Open(sequence.Children[i], $"{path}[{i}]", "name", "roles", "kinds", "modes");
            var roles = entry.StringList("roles");
            var kinds = entry.StringList("kinds");
            var modes = entry.StringList("modes");
            foreach (var (kind, at) in kinds)
            {
                if (!Kinds.Contains(kind, StringComparer.Ordinal))
                {
                    throw ResourceFormatException.At(at, $"unknown session kind '{kind}' in {entry.PathOf("kinds")}: use ssh (or k8s)");
                }
            }

            foreach (var (mode, at) in modes)
            {
                if (!Modes.Contains(mode, StringComparer.Ordinal))
                {
                    throw ResourceFormatException.At(at, $"unknown participant mode '{mode}' in {entry.PathOf("modes")}: use observer, moderator or peer");
                }
            }

            policies.Add(new SessionJoinPolicy
            {
                Name = entry.String("name") ?? "",
                Roles = [.. roles.Select(r => r.Value)],
                Kinds = [.. kinds.Select(k => k.Value)],
                Modes = [.. modes.Select(m => m.Value)],
            });
        }

        return [.. policies];
    }

    public static JsonArray Write(IEnumerable<SessionJoinPolicy> policies) =>
        new([.. policies.Select(p => (JsonNode?)new JsonObject
        {
            ["name"] = p.Name,
            ["roles"] = ResourceHeader.List(p.Roles),
            ["kinds"] = ResourceHeader.List(p.Kinds),
            ["modes"] = ResourceHeader.List(p.Modes),
        })]);
}
