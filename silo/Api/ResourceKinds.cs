using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Silo.Api;

/// <summary>Resource kind names as tctl accepts them (singular, plural, Teleport's aliases).</summary>
internal static class ResourceKinds
{
    public const string User = "user";
    public const string Role = "role";
    public const string Token = "token";
    public const string AuthPreference = "cluster_auth_preference";
    public const string Node = "node";
    public const string Lock = "lock";
    public const string SessionTracker = "session_tracker";

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
