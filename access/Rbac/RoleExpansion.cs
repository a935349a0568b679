using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>Applies a user's traits to a role's templates, producing the role that is actually evaluated.</summary>
internal static class RoleExpansion
{
    public static Role Expand(Role role, IReadOnlyDictionary<string, string[]> traits) => role with
    {
        Allow = Expand(role.Allow, traits, allow: true),
        Deny = Expand(role.Deny, traits, allow: false),
    };

    private static RoleConditions Expand(RoleConditions conditions, IReadOnlyDictionary<string, string[]> traits, bool allow) => conditions with
    {
        // Logins that are not valid Unix names after expansion are dropped, as Teleport does.
        Logins = conditions.Logins
            .SelectMany(l => RoleTemplate.Expand(l, traits))
            .Where(UnixLogin.IsValid)
            .Distinct(StringComparer.Ordinal)
            .ToArray(),
        NodeLabels = ExpandLabels(conditions.NodeLabels, traits, allow),
        AppLabels = ExpandLabels(conditions.AppLabels, traits, allow),
    };

    private static Dictionary<string, string[]> ExpandLabels(Dictionary<string, string[]> labels, IReadOnlyDictionary<string, string[]> traits, bool allow)
    {
        var expanded = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, values) in labels)
        {
            var expandedValues = values.SelectMany(v => RoleTemplate.Expand(v, traits)).Distinct(StringComparer.Ordinal).ToArray();
            var expandedKeys = RoleTemplate.Expand(key, traits).ToArray();
            if (expandedKeys.Length == 0 && allow)
            {
                // Dropping an allow key would widen access; keeping it with no values makes the role match no node.
                expanded[key] = [];
                continue;
            }

            foreach (var expandedKey in expandedKeys)
            {
                // A key whose values expand to nothing keeps no values, so it matches nothing.
                expanded[expandedKey] = expanded.TryGetValue(expandedKey, out var existing)
                    ? existing.Union(expandedValues, StringComparer.Ordinal).ToArray()
                    : expandedValues;
            }
        }

        return expanded;
    }
}
