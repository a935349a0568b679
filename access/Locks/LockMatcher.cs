using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Locks;

/// <summary>
/// When a lock is in force for a session: the one rule the auth service, the proxy and the node share, as Teleport
/// has it. The checker computes the session's targets, each with ONE field set (the user, the login, the node by host
/// uuid and by hostname), from what it knows; a checker that does not know a field (the proxy cannot see the login)
/// leaves that target out. A lock is in force when any computed target matches it, and a computed target matches a
/// lock when every field set in the computed target equals the lock's (Teleport's <c>LockTarget.Match</c>). So a lock
/// naming a user and a login locks that user everywhere AND that login for everyone: its fields are alternatives,
/// not a conjunction.
/// </summary>
public static class LockMatcher
{
    /// <summary>The session's one-field targets; empty values are left out (not known to this checker).</summary>
    public static IReadOnlyList<LockTarget> SessionTargets(string user, string login = "", params string[] nodes)
    {
        var targets = new List<LockTarget>();
        if (user.Length > 0)
        {
            targets.Add(new LockTarget { User = user });
        }

        if (login.Length > 0)
        {
            targets.Add(new LockTarget { Login = login });
        }

        targets.AddRange(nodes.Where(node => node.Length > 0).Distinct(StringComparer.Ordinal).Select(node => new LockTarget { Node = node }));
        return targets;
    }

    /// <summary>Teleport's <c>LockTarget.Match</c>: only the fields set in <paramref name="computed"/> are compared.</summary>
    public static bool Matches(LockTarget computed, LockTarget lockTarget) =>
        !computed.IsEmpty
        && (computed.User.Length == 0 || computed.User == lockTarget.User)
        && (computed.Login.Length == 0 || computed.Login == lockTarget.Login)
        && (computed.Node.Length == 0 || string.Equals(computed.Node, lockTarget.Node, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a lock on <paramref name="lockTarget"/> applies to a session with these targets.</summary>
    public static bool AppliesTo(LockTarget lockTarget, IReadOnlyList<LockTarget> sessionTargets) =>
        sessionTargets.Any(target => Matches(target, lockTarget));

    /// <summary>The first lock in force at <paramref name="now"/> that applies to a session with these targets.</summary>
    public static AccessLock? FindInForce(IEnumerable<AccessLock> locks, IReadOnlyList<LockTarget> sessionTargets, DateTimeOffset now) =>
        locks.FirstOrDefault(l => l.InForce(now) && AppliesTo(l.Target, sessionTargets));
}
