namespace Teleport.Orleans.Access.Rbac;

/// <summary>
/// Who may join whose session in which participant mode, as Teleport's session access evaluator decides it: the
/// session's owner may always join it (in every mode); anyone else needs an <c>allow.join_sessions</c> policy whose
/// kinds include the session's kind and whose roles match one of the roles the owner held when the session
/// started. The modes of every matching policy add up.
/// </summary>
public static class SessionJoinAccess
{
    public const string Observer = "observer";
    public const string Moderator = "moderator";
    public const string Peer = "peer";

    /// <summary>The modes in Teleport's order of preference for the owner.</summary>
    public static readonly IReadOnlyList<string> AllModes = [Peer, Moderator, Observer];

    /// <summary>The modes <paramref name="joiner"/> (with <paramref name="joinerRoles"/>) may join in; empty when none.</summary>
    public static IReadOnlyList<string> Modes(
        string joiner, RoleSet joinerRoles, string owner, IReadOnlyCollection<string> ownerRoles, string kind = "ssh")
    {
        ArgumentNullException.ThrowIfNull(joiner);
        ArgumentNullException.ThrowIfNull(joinerRoles);
        ArgumentNullException.ThrowIfNull(ownerRoles);
        if (owner.Length > 0 && string.Equals(joiner, owner, StringComparison.Ordinal))
        {
            return AllModes;
        }

        var modes = new List<string>();
        foreach (var policy in joinerRoles.Roles.SelectMany(r => r.Allow.JoinSessions))
        {
            var kindMatches = policy.Kinds.Any(k => k == LabelMatcher.Wildcard || string.Equals(k, kind, StringComparison.Ordinal));
            var roleMatches = policy.Roles.Any(pattern => ownerRoles.Any(role => LabelMatcher.ValueMatches(pattern, role, onFailure: false)));
            if (kindMatches && roleMatches)
            {
                modes.AddRange(policy.Modes.Where(m => !modes.Contains(m, StringComparer.Ordinal)));
            }
        }

        return modes;
    }

    /// <summary>Why <paramref name="joiner"/> may not join in <paramref name="mode"/>, as one sentence; null when they may.</summary>
    public static string? Refusal(string joiner, string mode, string owner, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Contains(mode, StringComparer.Ordinal))
        {
            return null;
        }

        return allowed.Count == 0
            ? $"access denied: {joiner} may not join sessions of {owner} (no join_sessions policy of your roles covers the roles of the session's owner)"
            : $"access denied: {joiner} may join this session of {owner} only as {string.Join(" or ", allowed)}, not as {mode}";
    }
}
