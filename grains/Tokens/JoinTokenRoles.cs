using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Grains.Tokens;

/// <summary>The system roles a join token may grant, spelled as Teleport spells them.</summary>
public static class JoinTokenRoles
{
    private static readonly string[] Known = ["Node", "Proxy", "App"];

    public static string[] Normalize(IEnumerable<string> roles)
    {
        var normalized = roles.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(NormalizeOne)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return normalized.Length > 0 ? normalized : throw AuthException.BadParameter("a join token needs at least one role: node, proxy or app");
    }

    public static string NormalizeOne(string role) =>
        Known.FirstOrDefault(k => string.Equals(k, role, StringComparison.OrdinalIgnoreCase))
        ?? throw AuthException.BadParameter($"unknown join token role \"{role}\": use node, proxy or app");
}
