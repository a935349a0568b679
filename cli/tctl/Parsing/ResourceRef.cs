namespace Teleport.Orleans.Cli.Tctl.Parsing;

/// <summary>A resource reference as tctl takes it: "kind" (every one) or "kind/name", kinds singular or plural.</summary>
internal sealed record ResourceRef(string Kind, string Name)
{
    public const string ClusterAuthPreference = "cluster_auth_preference";

    private static readonly Dictionary<string, string> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user"] = "user",
        ["users"] = "user",
        ["role"] = "role",
        ["roles"] = "role",
        ["token"] = "token",
        ["tokens"] = "token",
        [ClusterAuthPreference] = ClusterAuthPreference,
        ["cluster_auth_preferences"] = ClusterAuthPreference,
        ["cap"] = ClusterAuthPreference,
        ["node"] = "node",
        ["nodes"] = "node",
        ["lock"] = "lock",
        ["locks"] = "lock",
        ["session_tracker"] = "session_tracker",
        ["session_trackers"] = "session_tracker",
    };

    public bool IsAll => Name.Length == 0;

    public static ResourceRef Parse(string text)
    {
        var value = text.Trim();
        var slash = value.IndexOf('/');
        var kind = slash < 0 ? value : value[..slash];
        var name = slash < 0 ? "" : value[(slash + 1)..].Trim();
        if (kind.Length == 0 || (slash >= 0 && name.Length == 0))
        {
            throw new TctlException($"invalid resource reference \"{text}\": expected KIND or KIND/NAME, e.g. roles or role/access");
        }

        // Unknown kinds pass through lower-cased: the auth service names the kinds it knows in its error.
        return new ResourceRef(Kinds.GetValueOrDefault(kind, kind.ToLowerInvariant()), name);
    }

    /// <summary>Several references separated by commas ("users,roles").</summary>
    public static IReadOnlyList<ResourceRef> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList() switch
        {
            [] => throw new TctlException("no resource given: expected KIND or KIND/NAME, e.g. roles or role/access"),
            var list => list,
        };

    public override string ToString() => IsAll ? Kind : $"{Kind}/{Name}";
}
