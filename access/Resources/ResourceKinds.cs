using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Access.Resources;

/// <summary>The <c>kind</c> values this platform reads and writes, and the names tctl accepts for them.</summary>
public static class ResourceKinds
{
    public const string Role = "role";
    public const string User = "user";
    public const string Token = "token";
    public const string AuthPreference = "cluster_auth_preference";
    public const string Node = "node";
    public const string Lock = "lock";
    public const string SessionTracker = "session_tracker";

    /// <summary>The single cluster_auth_preference resource is always called this.</summary>
    public const string AuthPreferenceName = "cluster-auth-preference";

    /// <summary>The kinds a resource file may hold (session trackers are written by nodes, so not among them).</summary>
    public static IReadOnlyList<string> All { get; } = [Role, User, Token, AuthPreference, Node, Lock];

    /// <summary>The kind a tctl argument names: singular, plural or Teleport's alias, in any case.</summary>
    public static string Normalize(string kind) => kind.ToLowerInvariant() switch
    {
        "user" or "users" => User,
        "role" or "roles" => Role,
        "token" or "tokens" => Token,
        "cluster_auth_preference" or "cap" => AuthPreference,
        "node" or "nodes" => Node,
        "lock" or "locks" => Lock,
        "session_tracker" or "session_trackers" => SessionTracker,
        _ => throw AuthException.BadParameter($"unknown resource kind \"{kind}\": use user, role, token, cluster_auth_preference, node, lock or session_tracker"),
    };
}
