namespace Teleport.Orleans.Configuration;

/// <summary>An auth_service.tokens entry: "roles:token", roles comma-separated ("node,proxy:abc").</summary>
public sealed class StaticToken
{
    /// <summary>Lower-case system roles the token grants, e.g. "node", "proxy".</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>The secret (or, as in Teleport, a path to a file that holds it).</summary>
    public required string Token { get; init; }

    public override string ToString() => $"{string.Join(',', Roles)}:{Token}";
}
