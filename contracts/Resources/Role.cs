namespace Teleport.Orleans.Contracts.Resources;

/// <summary>A role in Teleport's v7 shape: what a user may do (allow), what they may never do (deny) and session options.</summary>
[GenerateSerializer, Immutable]
public sealed record Role
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string Description { get; init; } = "";
    [Id(2)] public Dictionary<string, string> Labels { get; init; } = new();
    [Id(3)] public RoleOptions Options { get; init; } = new();
    [Id(4)] public RoleConditions Allow { get; init; } = new();
    [Id(5)] public RoleConditions Deny { get; init; } = new();
    [Id(6)] public string Version { get; init; } = "v7";
    /// <summary>Built-in roles are seeded by the auth service and may be replaced but not removed.</summary>
    [Id(7)] public bool BuiltIn { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record RoleOptions
{
    [Id(0)] public TimeSpan? MaxSessionTtl { get; init; }
    [Id(1)] public bool? PortForwarding { get; init; }
    [Id(2)] public bool? ForwardAgent { get; init; }
    [Id(3)] public bool? PermitX11Forwarding { get; init; }
    /// <summary>End sessions when the user's certificate expires (Teleport's <c>disconnect_expired_cert</c>).</summary>
    [Id(4)] public bool? DisconnectExpiredCert { get; init; }
    /// <summary>End sessions without client input for this long (<c>client_idle_timeout</c>); null or zero: never.</summary>
    [Id(5)] public TimeSpan? ClientIdleTimeout { get; init; }
    /// <summary><c>ssh_port_forwarding.local.enabled</c>: local forwarding (ssh -L); set, it overrides <see cref="PortForwarding"/>.</summary>
    [Id(6)] public bool? SshLocalPortForwarding { get; init; }
    /// <summary><c>ssh_port_forwarding.remote.enabled</c>: remote forwarding (ssh -R); set, it overrides <see cref="PortForwarding"/>.</summary>
    [Id(7)] public bool? SshRemotePortForwarding { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record RoleConditions
{
    [Id(0)] public string[] Logins { get; init; } = [];
    /// <summary>Label key to accepted values: exact, <c>*</c>, a glob, or <c>^regex$</c>.</summary>
    [Id(1)] public Dictionary<string, string[]> NodeLabels { get; init; } = new();
    [Id(2)] public RoleRule[] Rules { get; init; } = [];
    /// <summary>Whose sessions the user may join and how (<c>join_sessions</c>; read under <c>allow</c> only).</summary>
    [Id(3)] public SessionJoinPolicy[] JoinSessions { get; init; } = [];
    /// <summary>Which apps the user may reach (<c>app_labels</c>), matched against the app's labels as node_labels against a node's.</summary>
    [Id(4)] public Dictionary<string, string[]> AppLabels { get; init; } = new();
}

/// <summary>An API permission: verbs (list, read, create, update, delete or *) on resource kinds (user, role, token, event, session or *).</summary>
[GenerateSerializer, Immutable]
public sealed record RoleRule
{
    [Id(0)] public string[] Resources { get; init; } = [];
    [Id(1)] public string[] Verbs { get; init; } = [];
}
