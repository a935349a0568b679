using System.Collections.Concurrent;
using System.Text;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>
/// The <see cref="RoleSet"/> of each distinct (role names, traits) in use, built from the routing cache's roles and
/// kept while those roles are unchanged, so its remembered per-label-set access decisions serve every request of
/// every user with the same roles. A role that changes (or is deleted) is a different object in the routing cache,
/// which makes the entries built from the old one stale: they are rebuilt on their next use.
/// </summary>
internal sealed class RoleSetCache(RoutingCache cache)
{
    private const int MaxEntries = 1024;
    private readonly ConcurrentDictionary<string, Entry> _sets = new(StringComparer.Ordinal);

    public RoleSet Get(string[] roleNames, IReadOnlyDictionary<string, string[]> traits)
    {
        var roles = roleNames.Select(cache.Role).OfType<Role>().ToArray();
        var key = Key(roleNames, traits);
        if (_sets.TryGetValue(key, out var entry) && Same(entry.Roles, roles))
        {
            return entry.Set;
        }

        var set = new RoleSet(roles, traits);
        if (_sets.Count >= MaxEntries)
        {
            _sets.Clear();
        }

        _sets[key] = new Entry(roles, set);
        return set;
    }

    private static bool Same(Role[] built, Role[] now)
    {
        if (built.Length != now.Length)
        {
            return false;
        }

        for (var i = 0; i < built.Length; i++)
        {
            if (!ReferenceEquals(built[i], now[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Role names, then each trait with its values, sorted, separated by characters names cannot hold.</summary>
    private static string Key(string[] roleNames, IReadOnlyDictionary<string, string[]> traits)
    {
        var key = new StringBuilder();
        foreach (var name in roleNames)
        {
            key.Append(name).Append('\u0001');
        }

        foreach (var (trait, values) in traits.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            key.Append('\u0002').Append(trait);
            foreach (var value in values)
            {
                key.Append('\u0001').Append(value);
            }
        }

        return key.ToString();
    }

    private sealed record Entry(Role[] Roles, RoleSet Set);
}
