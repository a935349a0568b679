using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>Teleport's preset roles, seeded by the auth service.</summary>
public static class BuiltInRoles
{
    private static readonly string[] s_editorResources = ["user", "role", "token", "lock", "cluster_auth_preference", "event", "session", "cert_authority"];
    private static readonly string[] s_editorVerbs = ["list", "create", "read", "update", "delete"];

    /// <summary>SSH access to every node with the user's own logins (the <c>logins</c> trait).</summary>
    public static Role Access { get; } = new()
    {
        Name = "access",
        Description = "Access cluster resources",
        BuiltIn = true,
        Options = new RoleOptions { MaxSessionTtl = RoleSet.DefaultMaxSessionTtl, PortForwarding = true, ForwardAgent = true },
        Allow = new RoleConditions
        {
            Logins = ["{{internal.logins}}"],
            NodeLabels = new() { [LabelMatcher.Wildcard] = [LabelMatcher.Wildcard] },
            AppLabels = new() { [LabelMatcher.Wildcard] = [LabelMatcher.Wildcard] },
            Rules = [new RoleRule { Resources = ["session"], Verbs = ["read", "list"] }],
        },
    };

    /// <summary>Manages the cluster's configuration resources; no node access.</summary>
    public static Role Editor { get; } = new()
    {
        Name = "editor",
        Description = "Edit cluster configuration",
        BuiltIn = true,
        Options = new RoleOptions { MaxSessionTtl = TimeSpan.FromHours(8), PortForwarding = true, ForwardAgent = true },
        Allow = new RoleConditions
        {
            Rules = [.. s_editorResources.Select(r => new RoleRule { Resources = [r], Verbs = s_editorVerbs })],
        },
    };

    /// <summary>Reads the audit log and session recordings; no node access.</summary>
    public static Role Auditor { get; } = new()
    {
        Name = "auditor",
        Description = "Review cluster events and replay sessions",
        BuiltIn = true,
        Options = new RoleOptions { MaxSessionTtl = RoleSet.DefaultMaxSessionTtl },
        Allow = new RoleConditions
        {
            Rules =
            [
                new RoleRule { Resources = ["session"], Verbs = ["list", "read"] },
                new RoleRule { Resources = ["event"], Verbs = ["list", "read"] },
            ],
        },
    };

    public static IReadOnlyList<Role> All { get; } = [Access, Editor, Auditor];
}
