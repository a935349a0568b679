using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>
/// A role as the auth API sends it to nodes (<see cref="RoleSpec"/> in auth.proto) and back: typed fields, so that
/// a node decides logins without parsing YAML. The round trip keeps every field RBAC reads.
/// </summary>
public static class RoleMessages
{
    public static RoleSpec ToMessage(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var message = new RoleSpec
        {
            Name = role.Name,
            Version = role.Version,
            Description = role.Description,
            Options = ToMessage(role.Options),
            Allow = ToMessage(role.Allow),
            Deny = ToMessage(role.Deny),
            BuiltIn = role.BuiltIn,
        };
        message.Labels.Add(role.Labels);
        return message;
    }

    public static Role FromMessage(RoleSpec message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Role
        {
            Name = message.Name,
            Version = message.Version.Length > 0 ? message.Version : "v7",
            Description = message.Description,
            Labels = new Dictionary<string, string>(message.Labels, StringComparer.Ordinal),
            Options = FromMessage(message.Options ?? new RoleOptionsSpec()),
            Allow = FromMessage(message.Allow ?? new RoleConditionsSpec()),
            Deny = FromMessage(message.Deny ?? new RoleConditionsSpec()),
            BuiltIn = message.BuiltIn,
        };
    }

    private static RoleOptionsSpec ToMessage(RoleOptions options)
    {
        var message = new RoleOptionsSpec
        {
            MaxSessionTtl = options.MaxSessionTtl is { } ttl ? Duration.FromTimeSpan(ttl) : null,
            ClientIdleTimeout = options.ClientIdleTimeout is { } idle ? Duration.FromTimeSpan(idle) : null,
        };
        if (options.PortForwarding is { } portForwarding)
        {
            message.PortForwarding = portForwarding;
        }

        if (options.ForwardAgent is { } forwardAgent)
        {
            message.ForwardAgent = forwardAgent;
        }

        if (options.PermitX11Forwarding is { } x11)
        {
            message.PermitX11Forwarding = x11;
        }

        if (options.DisconnectExpiredCert is { } disconnect)
        {
            message.DisconnectExpiredCert = disconnect;
        }

        if (options.SshLocalPortForwarding is { } local)
        {
            message.SshLocalPortForwarding = local;
        }

        if (options.SshRemotePortForwarding is { } remote)
        {
            message.SshRemotePortForwarding = remote;
        }

        return message;
    }

    private static RoleOptions FromMessage(RoleOptionsSpec message) => new()
    {
        MaxSessionTtl = message.MaxSessionTtl?.ToTimeSpan(),
        ClientIdleTimeout = message.ClientIdleTimeout?.ToTimeSpan(),
        PortForwarding = message.HasPortForwarding ? message.PortForwarding : null,
        ForwardAgent = message.HasForwardAgent ? message.ForwardAgent : null,
        PermitX11Forwarding = message.HasPermitX11Forwarding ? message.PermitX11Forwarding : null,
        DisconnectExpiredCert = message.HasDisconnectExpiredCert ? message.DisconnectExpiredCert : null,
        SshLocalPortForwarding = message.HasSshLocalPortForwarding ? message.SshLocalPortForwarding : null,
        SshRemotePortForwarding = message.HasSshRemotePortForwarding ? message.SshRemotePortForwarding : null,
    };

    private static RoleConditionsSpec ToMessage(RoleConditions conditions)
    {
        var message = new RoleConditionsSpec();
        message.Logins.AddRange(conditions.Logins);
        foreach (var (key, values) in conditions.NodeLabels)
        {
            var list = new StringList();
            list.Values.AddRange(values);
            message.NodeLabels.Add(key, list);
        }

        foreach (var (key, values) in conditions.AppLabels)
        {
            var list = new StringList();
            list.Values.AddRange(values);
            message.AppLabels.Add(key, list);
        }

        message.Rules.AddRange(conditions.Rules.Select(rule =>
        {
            var spec = new RoleRuleSpec();
            spec.Resources.AddRange(rule.Resources);
            spec.Verbs.AddRange(rule.Verbs);
            return spec;
        }));
        message.JoinSessions.AddRange(conditions.JoinSessions.Select(policy =>
        {
            var spec = new SessionJoinPolicySpec { Name = policy.Name };
            spec.Roles.AddRange(policy.Roles);
            spec.Kinds.AddRange(policy.Kinds);
            spec.Modes.AddRange(policy.Modes);
            return spec;
        }));
        return message;
    }

    private static RoleConditions FromMessage(RoleConditionsSpec message) => new()
    {
        Logins = [.. message.Logins],
        NodeLabels = message.NodeLabels.ToDictionary(pair => pair.Key, pair => pair.Value.Values.ToArray(), StringComparer.Ordinal),
        AppLabels = message.AppLabels.ToDictionary(pair => pair.Key, pair => pair.Value.Values.ToArray(), StringComparer.Ordinal),
        Rules = [.. message.Rules.Select(rule => new RoleRule { Resources = [.. rule.Resources], Verbs = [.. rule.Verbs] })],
        JoinSessions = [.. message.JoinSessions.Select(policy => new SessionJoinPolicy
        {
            Name = policy.Name,
            Roles = [.. policy.Roles],
            Kinds = [.. policy.Kinds],
            Modes = [.. policy.Modes],
        })],
    };
}
