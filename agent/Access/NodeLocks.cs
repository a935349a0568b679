using Teleport.Orleans.Access.Locks;
using Teleport.Orleans.Contracts.Resources;
using Lock = Teleport.Orleans.Contracts.Api.Lock;

namespace Teleport.Orleans.Agent.Access;

/// <summary>Which lock applies to a user's login on this node (the rule is <see cref="LockMatcher"/>'s), and the words Teleport uses for it.</summary>
internal static class NodeLocks
{
    /// <summary>
    /// The first lock in force that targets the user, the login or this node (by host uuid or hostname): the node
    /// knows every field of the session, so it computes all of its targets.
    /// </summary>
    public static Lock? Find(IReadOnlyList<Lock> locks, string user, string login, NodeAccessContext node, DateTimeOffset now)
    {
        var targets = LockMatcher.SessionTargets(user, login, node.NodeId, node.Hostname);
        return locks.FirstOrDefault(l =>
            (l.Expires is null || l.Expires.ToDateTimeOffset() > now)
            && LockMatcher.AppliesTo(new LockTarget { User = l.User, Login = l.Login, Node = l.Node }, targets));
    }

    /// <summary>Teleport's words (services.LockInForceAccessDenied): <c>lock targeting User:"alice" is in force[: message]</c>.</summary>
    public static string Describe(Lock inForce)
    {
        // The target is printed as Go's compact proto text of LockTarget: set fields only, in field order.
        var target = string.Join(' ', new[] { ("User", inForce.User), ("Login", inForce.Login), ("Node", inForce.Node) }
            .Where(f => f.Item2.Length > 0)
            .Select(f => $"{f.Item1}:\"{Escape(f.Item2)}\""));
        return inForce.Message.Length > 0
            ? $"lock targeting {target} is in force: {inForce.Message}"
            : $"lock targeting {target} is in force";
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
