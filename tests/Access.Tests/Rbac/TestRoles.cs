using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Rbac;

/// <summary>Small builders so each test shows only the parts of a role it is about.</summary>
internal static class TestRoles
{
    public static readonly IReadOnlyDictionary<string, string[]> NoTraits = new Dictionary<string, string[]>();

    public static Role Allow(string name, string[] logins, params (string Key, string[] Values)[] labels) => new()
    {
        Name = name,
        Allow = new RoleConditions { Logins = logins, NodeLabels = labels.ToDictionary(l => l.Key, l => l.Values) },
    };

    public static Role Deny(string name, string[] logins, params (string Key, string[] Values)[] labels) => new()
    {
        Name = name,
        Deny = new RoleConditions { Logins = logins, NodeLabels = labels.ToDictionary(l => l.Key, l => l.Values) },
    };

    /// <summary>Parses "env=prod,team=db" into node labels; "" is a node without labels.</summary>
    public static Dictionary<string, string> Labels(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
}
