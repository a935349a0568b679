using System.Collections.Concurrent;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>
/// The roles of one user with their templates expanded, evaluated as Teleport does: everything is denied by default,
/// deny conditions are checked first and win, and the most restrictive option wins.
/// </summary>
public sealed class RoleSet
{
    /// <summary>Teleport's <c>MaxCertDuration</c>: the session TTL of a role that does not set one.</summary>
    internal static readonly TimeSpan DefaultMaxSessionTtl = TimeSpan.FromHours(30);

    /// <summary>How many distinct label sets <see cref="LoginsOn"/> remembers; past it, further sets are evaluated each time.</summary>
    internal const int MaxRememberedLabelSets = 4096;

    private static readonly string[] s_noLogins = [];

    // The set is immutable once built, so a decision about a label set stays right for its lifetime.
    private readonly ConcurrentDictionary<IReadOnlyDictionary<string, string>, string[]> _loginsOn = new(LabelSetComparer.Instance);

    public RoleSet(IReadOnlyList<Role> roles, IReadOnlyDictionary<string, string[]> traits)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(traits);

        Roles = roles.Select(r => RoleExpansion.Expand(r, traits)).ToArray();
        var denied = Roles.SelectMany(r => r.Deny.Logins).ToHashSet(StringComparer.Ordinal);
        Logins = Roles.SelectMany(r => r.Allow.Logins)
            .Where(l => !denied.Contains(l))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

        // With no roles there is nothing to grant, so the TTL is zero rather than the default.
        MaxSessionTtl = Roles.Count == 0 ? TimeSpan.Zero : Roles.Min(r => r.Options.MaxSessionTtl is { } ttl && ttl > TimeSpan.Zero ? ttl : DefaultMaxSessionTtl);
        LocalPortForwarding = Roles.All(r => ForwardingMode(r.Options, r.Options.SshLocalPortForwarding));
        RemotePortForwarding = Roles.All(r => ForwardingMode(r.Options, r.Options.SshRemotePortForwarding));
        PortForwarding = LocalPortForwarding || RemotePortForwarding;
        ForwardAgent = OptIn(r => r.Options.ForwardAgent);
        PermitX11Forwarding = OptIn(r => r.Options.PermitX11Forwarding);
        DisconnectExpiredCert = Roles.Any(r => r.Options.DisconnectExpiredCert == true);
        ClientIdleTimeout = Roles.Select(r => r.Options.ClientIdleTimeout ?? TimeSpan.Zero).Where(t => t > TimeSpan.Zero).DefaultIfEmpty().Min();
    }

    /// <summary>The roles after template expansion; logins that are not valid Unix names after expansion are dropped.</summary>
    public IReadOnlyList<Role> Roles { get; }

    /// <summary>Every login some role allows and none denies, distinct and sorted (ordinal).</summary>
    public string[] Logins { get; }

    /// <summary>The shortest <c>max_session_ttl</c>; a role without one counts as 30h. Zero for an empty set.</summary>
    public TimeSpan MaxSessionTtl { get; }

    /// <summary>Some kind of port forwarding is allowed (the certificate's permit-port-forwarding).</summary>
    public bool PortForwarding { get; }

    /// <summary>
    /// Local forwarding (ssh -L): false if any role turns it off, with <c>ssh_port_forwarding.local.enabled</c> or,
    /// when a role has no <c>ssh_port_forwarding</c>, the older <c>port_forwarding</c>; unset means on, as in Teleport.
    /// </summary>
    public bool LocalPortForwarding { get; }

    /// <summary>Remote forwarding (ssh -R), decided as <see cref="LocalPortForwarding"/> with <c>ssh_port_forwarding.remote.enabled</c>.</summary>
    public bool RemotePortForwarding { get; }

    /// <summary>True only if some role turns agent forwarding on and none turns it off.</summary>
    public bool ForwardAgent { get; }

    /// <summary>True only if some role turns X11 forwarding on and none turns it off.</summary>
    public bool PermitX11Forwarding { get; }

    /// <summary>True if any role sets <c>disconnect_expired_cert</c>: sessions end when the certificate expires.</summary>
    public bool DisconnectExpiredCert { get; }

    /// <summary>The shortest <c>client_idle_timeout</c> some role sets; zero when none does (no idle limit).</summary>
    public TimeSpan ClientIdleTimeout { get; }

    /// <summary>Whether <paramref name="login"/> may be used on a node with <paramref name="nodeLabels"/>, and why.</summary>
    public AccessDecision CheckLogin(string login, IReadOnlyDictionary<string, string> nodeLabels)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(nodeLabels);

        if (CheckDeny(nodeLabels) is { } nodeDenied)
        {
            return nodeDenied;
        }

        foreach (var role in Roles)
        {
            if (role.Deny.Logins.Contains(login, StringComparer.Ordinal))
            {
                return AccessDecision.Deny($"login '{login}' is denied by role '{role.Name}'");
            }
        }

        // Each login is checked together with the labels of the role that grants it, never another role's.
        var granting = Roles.Where(r => r.Allow.Logins.Contains(login, StringComparer.Ordinal)).ToArray();
        foreach (var role in granting)
        {
            if (LabelMatcher.MatchesAll(role.Allow.NodeLabels, nodeLabels))
            {
                return AccessDecision.Allow($"login '{login}' is granted by role '{role.Name}'");
            }
        }

        return granting.Length == 0
            ? AccessDecision.Deny($"no role grants login '{login}'")
            : AccessDecision.Deny($"login '{login}' is granted by {Names(granting)} but the node's labels do not match its node_labels");
    }

    /// <summary>Whether some login of this set could be used on a node with <paramref name="nodeLabels"/>.</summary>
    public bool CanReachNode(IReadOnlyDictionary<string, string> nodeLabels) => LoginsOn(nodeLabels).Length > 0;

    /// <summary>
    /// The logins of <see cref="Logins"/> that <see cref="CheckLogin"/> allows on a node with <paramref name="nodeLabels"/>,
    /// in the same order. Remembered per distinct label set (by content), so listing many nodes that share labels
    /// evaluates the roles once per label set rather than once per node.
    /// </summary>
    public string[] LoginsOn(IReadOnlyDictionary<string, string> nodeLabels)
    {
        ArgumentNullException.ThrowIfNull(nodeLabels);
        if (_loginsOn.TryGetValue(nodeLabels, out var known))
        {
            return known;
        }

        var logins = CheckDeny(nodeLabels) is null ? Logins.Where(l => CheckLogin(l, nodeLabels).Allowed).ToArray() : s_noLogins;
        if (_loginsOn.Count < MaxRememberedLabelSets)
        {
            // A copy: the caller may change its dictionary afterwards.
            _loginsOn.TryAdd(new Dictionary<string, string>(nodeLabels, StringComparer.Ordinal), logins);
        }

        return logins;
    }

    /// <summary>Whether some role's <c>app_labels</c> match an app with <paramref name="appLabels"/> and none denies it, and why.</summary>
    public AccessDecision CheckApp(IReadOnlyDictionary<string, string> appLabels)
    {
        ArgumentNullException.ThrowIfNull(appLabels);
        foreach (var role in Roles)
        {
            if (LabelMatcher.FirstMatchingKey(role.Deny.AppLabels, appLabels) is { } key)
            {
                var what = key == LabelMatcher.Wildcard ? "every app" : $"label '{key}'";
                return AccessDecision.Deny($"the app is denied by role '{role.Name}' ({what})");
            }
        }

        return Roles.FirstOrDefault(r => r.Allow.AppLabels.Count > 0 && LabelMatcher.MatchesAll(r.Allow.AppLabels, appLabels)) is { } granting
            ? AccessDecision.Allow($"the app is granted by role '{granting.Name}'")
            : AccessDecision.Deny("no role's app_labels match the app's labels");
    }

    /// <summary>Whether the rules allow <paramref name="verb"/> on <paramref name="resource"/>: deny rules win, <c>*</c> matches anything.</summary>
    public bool Allows(string resource, string verb)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(verb);

        if (Roles.Any(r => r.Deny.Rules.Any(rule => RuleMatches(rule, resource, verb))))
        {
            return false;
        }

        return Roles.Any(r => r.Allow.Rules.Any(rule => RuleMatches(rule, resource, verb)));
    }

    /// <summary>One role's say on one kind of forwarding: its ssh_port_forwarding entry, else port_forwarding when it has no ssh_port_forwarding, else on.</summary>
    private static bool ForwardingMode(RoleOptions options, bool? specific) =>
        specific ?? (options.SshLocalPortForwarding is null && options.SshRemotePortForwarding is null ? options.PortForwarding ?? true : true);

    private AccessDecision? CheckDeny(IReadOnlyDictionary<string, string> nodeLabels)
    {
        foreach (var role in Roles)
        {
            if (LabelMatcher.FirstMatchingKey(role.Deny.NodeLabels, nodeLabels) is { } key)
            {
                var what = key == LabelMatcher.Wildcard ? "every node" : $"label '{key}'";
                return AccessDecision.Deny($"the node is denied by role '{role.Name}' ({what})");
            }
        }

        return null;
    }

    private bool OptIn(Func<Role, bool?> option) =>
        Roles.Any(r => option(r) == true) && Roles.All(r => option(r) != false);

    private static bool RuleMatches(RoleRule rule, string resource, string verb) =>
        (rule.Resources.Contains(LabelMatcher.Wildcard) || rule.Resources.Contains(resource, StringComparer.Ordinal))
        && (rule.Verbs.Contains(LabelMatcher.Wildcard) || rule.Verbs.Contains(verb, StringComparer.Ordinal));

    private static string Names(IEnumerable<Role> roles) =>
        "role " + string.Join(", ", roles.Select(r => $"'{r.Name}'"));
}
