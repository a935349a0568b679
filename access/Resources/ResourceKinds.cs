namespace Teleport.Orleans.Access.Resources;

/// <summary>The <c>kind</c> values this platform reads and writes.</summary>
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

    public static IReadOnlyList<string> All { get; } = [Role, User, Token, AuthPreference, Node, Lock];
}
