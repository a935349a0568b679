using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Silo.Api;

/// <summary>Resource kind names as tctl accepts them (singular, plural, Teleport's aliases).</summary>
internal static class ResourceKinds
{
    public const string User = "user";
    public const string Role = "role";
    public const string Token = "token";
    public const string AuthPreference = "cluster_auth_preference";

    public static string Normalize(string kind) => kind.ToLowerInvariant() switch
    {
        "user" or "users" => User,
        "role" or "roles" => Role,
        "token" or "tokens" => Token,
        "cluster_auth_preference" or "cap" => AuthPreference,
        _ => throw AuthException.BadParameter($"unknown resource kind \"{kind}\": use user, role, token or cluster_auth_preference"),
    };
}
