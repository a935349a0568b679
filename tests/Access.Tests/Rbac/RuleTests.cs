using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using static Teleport.Orleans.Access.Tests.Rbac.TestRoles;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class RuleTests
{
    private static Role Rules(string name, RoleRule[] allow, RoleRule[]? deny = null) => new()
    {
        Name = name,
        Allow = new RoleConditions { Rules = allow },
        Deny = new RoleConditions { Rules = deny ?? [] },
    };

    private static RoleRule Rule(string[] resources, string[] verbs) => new() { Resources = resources, Verbs = verbs };

    [Theory]
    [InlineData("user", "read", true)]
    [InlineData("user", "list", true)]
    [InlineData("user", "delete", false)]
    [InlineData("role", "read", false)]
    public void Allow_rules_grant_their_verbs_on_their_resources(string resource, string verb, bool allowed)
    {
        var set = new RoleSet([Rules("r", [Rule(["user"], ["read", "list"])])], NoTraits);

        Assert.Equal(allowed, set.Allows(resource, verb));
    }

    [Fact]
    public void Wildcards_match_any_resource_and_any_verb()
    {
        var set = new RoleSet([Rules("a", [Rule(["*"], ["read"])]), Rules("b", [Rule(["token"], ["*"])])], NoTraits);

        Assert.True(set.Allows("session", "read"));
        Assert.True(set.Allows("token", "delete"));
        Assert.False(set.Allows("session", "delete"));
    }

    [Fact]
    public void Deny_rules_win_over_allow_rules_from_any_role()
    {
        var set = new RoleSet(
            [Rules("admin", [Rule(["*"], ["*"])]), Rules("no-delete", [], [Rule(["user"], ["delete"])])],
            NoTraits);

        Assert.False(set.Allows("user", "delete"));
        Assert.True(set.Allows("user", "update"));
        Assert.True(set.Allows("role", "delete"));
    }

    [Fact]
    public void Deny_wildcard_rules_deny_everything()
    {
        var set = new RoleSet([Rules("admin", [Rule(["*"], ["*"])], [Rule(["*"], ["*"])])], NoTraits);

        Assert.False(set.Allows("user", "read"));
    }

    [Fact]
    public void Nothing_is_allowed_without_rules()
    {
        Assert.False(new RoleSet([Allow("ssh", ["root"], ("*", ["*"]))], NoTraits).Allows("session", "read"));
    }
}
