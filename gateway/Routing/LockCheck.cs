using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>
/// Which lock forbids a user's connection to a node as the proxy sees it. The proxy does not know the login (the
/// node decides it, inside the end-to-end SSH session), so locks that name a login are left to the node.
/// </summary>
internal static class LockCheck
{
    public static AccessLock? Find(IEnumerable<AccessLock> locks, string user, string nodeName) =>
        locks.FirstOrDefault(l => l.Target.Login.Length == 0 && l.Target.Matches(user, "", nodeName));

    public static string Describe(AccessLock accessLock, string user) =>
        accessLock.Message.Length > 0
            ? $"access denied to {user}: locked by {accessLock.Name} ({accessLock.Message})"
            : $"access denied to {user}: locked by {accessLock.Name}";
}
