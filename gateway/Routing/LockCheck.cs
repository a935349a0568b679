using Teleport.Orleans.Access.Locks;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>
/// Which lock forbids a user's connection to a node as the proxy sees it (the rule is <see cref="LockMatcher"/>'s).
/// The proxy does not know the login (the node decides it, inside the end-to-end SSH session), so it computes no
/// login target: a lock on a login alone is left to the node.
/// </summary>
internal static class LockCheck
{
    /// <param name="locks">Locks in force (the routing cache keeps only those).</param>
    /// <param name="nodes">The node as a lock may name it: its host uuid, its hostname.</param>
    public static AccessLock? Find(IEnumerable<AccessLock> locks, string user, params string[] nodes) =>
        LockMatcher.FindInForce(locks, LockMatcher.SessionTargets(user, login: "", nodes), DateTimeOffset.UtcNow);

    public static string Describe(AccessLock accessLock, string user) =>
        accessLock.Message.Length > 0
            ? $"access denied to {user}: locked by {accessLock.Name} ({accessLock.Message})"
            : $"access denied to {user}: locked by {accessLock.Name}";
}
