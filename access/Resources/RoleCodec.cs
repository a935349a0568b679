using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes <c>kind: role</c>.</summary>
internal static class RoleCodec
{
    // Every listed version means the same for the fields supported here; evaluation follows v7.
    private static readonly string[] s_versions = ["v3", "v4", "v5", "v6", "v7", "v8"];

    public static RoleDocument Read(YamlNode node)
    {
        var root = YamlMap.Open(node, "", "kind", "version", "metadata", "spec");
        ResourceHeader.CheckVersion(root, ResourceKinds.Role, s_versions);
        var metadata = ResourceHeader.Metadata(root, "name", "description", "labels");
        var name = metadata.RequiredString("name");
        ResourceHeader.Check(metadata.Required("name"), RoleValidator.NameError(name, "metadata.name"));

        var spec = root.Map("spec", "options", "allow", "deny");
        var role = new Role
        {
            Name = name,
            Version = root.RequiredString("version"),
            Description = metadata.String("description") ?? "",
            Labels = ResourceHeader.Labels(metadata),
            Options = ReadOptions(spec?.Map("options", "max_session_ttl", "port_forwarding", "forward_agent", "permit_x11_forwarding", "disconnect_expired_cert", "client_idle_timeout", "ssh_port_forwarding")),
            Allow = ReadConditions(spec?.Map("allow", "logins", "node_labels", "app_labels", "rules", "join_sessions")),
            Deny = ReadConditions(spec?.Map("deny", "logins", "node_labels", "app_labels", "rules")),
        };

        try
        {
            // The checks above report lines; this one guards anything the role as a whole could still get wrong.
            RoleValidator.Validate(role);
        }
        catch (ArgumentException e)
        {
            throw ResourceFormatException.At(node, e.Message);
        }

        return new RoleDocument(role);
    }

    public static JsonObject Write(Role role)
    {
        var metadata = new JsonObject { ["name"] = role.Name };
        if (role.Description.Length > 0)
        {
            metadata["description"] = role.Description;
        }

        ResourceHeader.SetIfPresent(metadata, "labels", ResourceHeader.Map(role.Labels));
        var spec = new JsonObject
        {
            ["options"] = WriteOptions(role.Options),
            ["allow"] = WriteConditions(role.Allow),
            ["deny"] = WriteConditions(role.Deny),
        };
        return ResourceHeader.Write(ResourceKinds.Role, role.Version, metadata, spec);
    }

    private static RoleOptions ReadOptions(YamlMap? options)
    {
        if (options is null)
        {
            return new RoleOptions();
        }

        var ttl = ReadDuration(options, "max_session_ttl");
        if (ttl is { } parsed)
        {
            ResourceHeader.Check(options.Required("max_session_ttl"), RoleValidator.MaxSessionTtlError(parsed, options.PathOf("max_session_ttl")));
        }

        var idle = ReadDuration(options, "client_idle_timeout");
        if (idle is { } idleTimeout)
        {
            ResourceHeader.Check(options.Required("client_idle_timeout"), RoleValidator.ClientIdleTimeoutError(idleTimeout, options.PathOf("client_idle_timeout")));
        }

        return new RoleOptions
        {
            MaxSessionTtl = ttl,
            PortForwarding = options.Bool("port_forwarding"),
            ForwardAgent = options.Bool("forward_agent"),
            PermitX11Forwarding = options.Bool("permit_x11_forwarding"),
            DisconnectExpiredCert = options.Bool("disconnect_expired_cert"),
            ClientIdleTimeout = idle,
            SshLocalPortForwarding = ForwardingEnabled(options, "local"),
            SshRemotePortForwarding = ForwardingEnabled(options, "remote"),
        };
    }

    /// <summary><c>ssh_port_forwarding: {local: {enabled: bool}, remote: {enabled: bool}}</c>, Teleport's successor of port_forwarding.</summary>
    private static bool? ForwardingEnabled(YamlMap options, string kind) =>
        options.Map("ssh_port_forwarding", "local", "remote")?.Map(kind, "enabled")?.Bool("enabled");

    /// <summary>A Go duration ("90s", "1h30m"); Teleport's "never" is zero, which turns the limit off.</summary>
    private static TimeSpan? ReadDuration(YamlMap options, string key)
    {
        if (options.String(key) is not { } text)
        {
            return null;
        }

        if (text == "never")
        {
            return TimeSpan.Zero;
        }

        if (!GoDuration.TryParse(text, out var parsed, out var error))
        {
            throw ResourceFormatException.At(options.Required(key), $"bad duration '{text}' in {options.PathOf(key)}: {error}");
        }

        return parsed;
    }

    private static RoleConditions ReadConditions(YamlMap? conditions)
    {
        if (conditions is null)
        {
            return new RoleConditions();
        }

        var logins = conditions.StringList("logins");
        foreach (var (login, node) in logins)
        {
            ResourceHeader.Check(node, RoleValidator.LoginError(login, conditions.PathOf("logins")));
        }

        return new RoleConditions
        {
            Logins = [.. logins.Select(l => l.Value)],
            NodeLabels = ReadLabels(conditions, "node_labels"),
            AppLabels = ReadLabels(conditions, "app_labels"),
            Rules = ReadRules(conditions),
            JoinSessions = JoinSessionsCodec.Read(conditions),
        };
    }

    private static Dictionary<string, string[]> ReadLabels(YamlMap conditions, string field)
    {
        var labels = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (conditions.Get(field) is not { } node)
        {
            return labels;
        }

        var path = conditions.PathOf(field);
        foreach (var (key, keyNode, valueNode) in YamlMap.Entries(node, path))
        {
            var where = $"{path}.{key}";
            // Teleport accepts one value or a list; null means no values, which matches nothing.
            var values = YamlMap.IsNull(valueNode) ? [] : YamlMap.ReadStringList(valueNode, where, allowSingle: true);
            ResourceHeader.Check(keyNode, RoleValidator.LabelKeyError(key, values.Select(v => v.Value), path));
            foreach (var (value, valueAt) in values)
            {
                ResourceHeader.Check(valueAt, RoleValidator.LabelValueError(value, where));
            }

            labels[key] = [.. values.Select(v => v.Value)];
        }

        return labels;
    }

    private static RoleRule[] ReadRules(YamlMap conditions)
    {
        if (conditions.Get("rules") is not { } node)
        {
            return [];
        }

        var path = conditions.PathOf("rules");
        if (node is not YamlSequenceNode sequence)
        {
            throw ResourceFormatException.At(node, $"{path} must be a list of rules, not {YamlMap.TypeName(node)}");
        }

        var rules = new List<RoleRule>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var rule = YamlMap.Open(sequence.Children[i], $"{path}[{i}]", "resources", "verbs");
            var resources = rule.StringList("resources");
            var verbs = rule.StringList("verbs");
            if (resources.Length == 0 || verbs.Length == 0)
            {
                var missing = resources.Length == 0 ? "resources" : "verbs";
                throw ResourceFormatException.At(rule.KeyOrSelf(missing), $"{rule.PathOf(missing)} must name at least one {missing[..^1]}");
            }

            foreach (var (resource, at) in resources)
            {
                ResourceHeader.Check(at, RoleValidator.ResourceError(resource, rule.PathOf("resources")));
            }

            foreach (var (verb, at) in verbs)
            {
                ResourceHeader.Check(at, RoleValidator.VerbError(verb, rule.PathOf("verbs")));
            }

            rules.Add(new RoleRule { Resources = [.. resources.Select(r => r.Value)], Verbs = [.. verbs.Select(v => v.Value)] });
        }

        return [.. rules];
    }

    private static JsonObject WriteOptions(RoleOptions options)
    {
        var json = new JsonObject();
        if (options.MaxSessionTtl is { } ttl)
        {
            json["max_session_ttl"] = GoDuration.Format(ttl);
        }

        ResourceHeader.SetIfPresent(json, "port_forwarding", options.PortForwarding is { } pf ? JsonValue.Create(pf) : null);
        ResourceHeader.SetIfPresent(json, "forward_agent", options.ForwardAgent is { } fa ? JsonValue.Create(fa) : null);
        ResourceHeader.SetIfPresent(json, "permit_x11_forwarding", options.PermitX11Forwarding is { } x11 ? JsonValue.Create(x11) : null);
        ResourceHeader.SetIfPresent(json, "disconnect_expired_cert", options.DisconnectExpiredCert is { } dec ? JsonValue.Create(dec) : null);
        if (options.ClientIdleTimeout is { } idle)
        {
            json["client_idle_timeout"] = GoDuration.Format(idle);
        }

        if (options.SshLocalPortForwarding is not null || options.SshRemotePortForwarding is not null)
        {
            var forwarding = new JsonObject();
            ResourceHeader.SetIfPresent(forwarding, "local", options.SshLocalPortForwarding is { } local ? new JsonObject { ["enabled"] = local } : null);
            ResourceHeader.SetIfPresent(forwarding, "remote", options.SshRemotePortForwarding is { } remote ? new JsonObject { ["enabled"] = remote } : null);
            json["ssh_port_forwarding"] = forwarding;
        }

        return json;
    }

    private static JsonObject WriteLabels(Dictionary<string, string[]> selector)
    {
        var labels = new JsonObject();
        foreach (var (key, values) in selector)
        {
            // One value is written as a string, as Teleport does ('*': '*').
            labels[key] = values.Length == 1 ? JsonValue.Create(values[0]) : ResourceHeader.List(values);
        }

        return labels;
    }

    private static JsonObject WriteConditions(RoleConditions conditions)
    {
        var json = new JsonObject();
        if (conditions.Logins.Length > 0)
        {
            json["logins"] = ResourceHeader.List(conditions.Logins);
        }

        if (conditions.NodeLabels.Count > 0)
        {
            json["node_labels"] = WriteLabels(conditions.NodeLabels);
        }

        if (conditions.AppLabels.Count > 0)
        {
            json["app_labels"] = WriteLabels(conditions.AppLabels);
        }

        if (conditions.Rules.Length > 0)
        {
            json["rules"] = new JsonArray([.. conditions.Rules.Select(r => (JsonNode?)new JsonObject
            {
                ["resources"] = ResourceHeader.List(r.Resources),
                ["verbs"] = ResourceHeader.List(r.Verbs),
            })]);
        }

        if (conditions.JoinSessions.Length > 0)
        {
            json["join_sessions"] = JoinSessionsCodec.Write(conditions.JoinSessions);
        }

        return json;
    }
}
