using Teleport.Orleans.Access.Rbac;
using static Teleport.Orleans.Access.Tests.Rbac.TestRoles;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class CheckLoginTests
{
    // Teleport's example roles, plus one role per kind of label value.
    private static readonly RoleSet s_set = new(
    [
        Allow("dev", ["root"], ("env", ["test"])),
        Allow("prod", ["ubuntu"], ("env", ["prod"])),
        Allow("web", ["deploy"], ("host", ["web-*", "api-?"])),
        Allow("dba", ["postgres"], ("role", ["^db-(primary|replica)$"])),
        Allow("everywhere", ["guest", "admin"], ("*", ["*"])),
        Allow("ops", ["ops"], ("env", ["prod"]), ("team", ["ops", "sre"])),
        Allow("any-env", ["auditor"], ("env", ["*"])),
        Deny("no-admin", ["admin"]),
        Deny("no-secrets", [], ("env", ["secret"]), ("zone", ["pci-*"])),
    ], NoTraits);

    [Theory]
    [InlineData("root", "env=test", true)]
    [InlineData("root", "env=prod", false)] // root comes from dev, whose labels say env=test
    [InlineData("ubuntu", "env=prod", true)]
    [InlineData("ubuntu", "env=test", false)]
    [InlineData("deploy", "host=web-1", true)] // glob *
    [InlineData("deploy", "host=web-", true)]
    [InlineData("deploy", "host=api-1", true)] // glob ?
    [InlineData("deploy", "host=api-12", false)]
    [InlineData("deploy", "host=db-1", false)]
    [InlineData("postgres", "role=db-primary", true)] // regex
    [InlineData("postgres", "role=db-replica", true)]
    [InlineData("postgres", "role=db-primary-old", false)] // regexes are anchored
    [InlineData("postgres", "env=test", false)]
    [InlineData("guest", "", true)] // '*': '*' matches a node without labels
    [InlineData("guest", "env=prod", true)]
    [InlineData("guest", "env=secret", false)] // deny by label
    [InlineData("guest", "env=prod,zone=pci-eu", false)] // deny by any one label
    [InlineData("admin", "env=prod", false)] // deny by login
    [InlineData("ops", "env=prod,team=sre", true)]
    [InlineData("ops", "env=prod", false)] // allow needs every label key
    [InlineData("ops", "team=ops", false)]
    [InlineData("ops", "env=test,team=ops", false)]
    [InlineData("auditor", "env=anything", true)] // value '*' matches any value of the key
    [InlineData("auditor", "team=ops", false)] // ... but the key must exist
    [InlineData("nobody", "env=prod", false)]
    [InlineData("", "env=prod", false)]
    public void Evaluation_table(string login, string labels, bool allowed)
    {
        var decision = s_set.CheckLogin(login, Labels(labels));

        Assert.True(decision.Allowed == allowed, $"{login}@{labels}: {decision.Reason}");
    }

    [Fact]
    public void Root_on_a_prod_node_is_denied_when_root_comes_from_the_dev_role()
    {
        var decision = s_set.CheckLogin("root", Labels("env=prod"));

        Assert.False(decision.Allowed);
        Assert.Contains("'dev'", decision.Reason);
    }

    [Fact]
    public void Deny_label_wins_over_allow()
    {
        var set = new RoleSet([Allow("all", ["root"], ("*", ["*"])), Deny("no-prod", [], ("env", ["prod"]))], NoTraits);

        var decision = set.CheckLogin("root", Labels("env=prod"));

        Assert.False(decision.Allowed);
        Assert.Contains("no-prod", decision.Reason);
        Assert.True(set.CheckLogin("root", Labels("env=test")).Allowed);
    }

    [Fact]
    public void Deny_login_wins_over_allow_on_any_node()
    {
        var set = new RoleSet([Allow("all", ["root", "alice"], ("*", ["*"])), Deny("no-root", ["root"])], NoTraits);

        Assert.False(set.CheckLogin("root", Labels("")).Allowed);
        Assert.True(set.CheckLogin("alice", Labels("")).Allowed);
        Assert.Equal(["alice"], set.Logins);
    }

    [Fact]
    public void Deny_wildcard_labels_deny_every_node()
    {
        var set = new RoleSet([Allow("all", ["root"], ("*", ["*"])), Deny("lockdown", [], ("*", ["*"]))], NoTraits);

        Assert.False(set.CheckLogin("root", Labels("")).Allowed);
        Assert.False(set.CanReachNode(Labels("env=prod")));
    }

    [Fact]
    public void Empty_allow_node_labels_match_nothing()
    {
        var set = new RoleSet([Allow("logins-only", ["root"])], NoTraits);

        Assert.False(set.CheckLogin("root", Labels("")).Allowed);
        Assert.False(set.CheckLogin("root", Labels("env=prod")).Allowed);
    }

    [Fact]
    public void Wildcard_key_with_a_specific_value_matches_nothing()
    {
        var set = new RoleSet([Allow("odd", ["root"], ("*", ["prod"]))], NoTraits);

        Assert.False(set.CheckLogin("root", Labels("env=prod")).Allowed);
    }

    [Fact]
    public void A_login_granted_by_two_roles_is_allowed_where_either_roles_labels_match()
    {
        var set = new RoleSet([Allow("a", ["root"], ("env", ["test"])), Allow("b", ["root"], ("env", ["prod"]))], NoTraits);

        Assert.True(set.CheckLogin("root", Labels("env=test")).Allowed);
        Assert.True(set.CheckLogin("root", Labels("env=prod")).Allowed);
        Assert.False(set.CheckLogin("root", Labels("env=dev")).Allowed);
    }

    [Fact]
    public void Reason_names_the_granting_role()
    {
        var decision = s_set.CheckLogin("ubuntu", Labels("env=prod"));

        Assert.Equal(new AccessDecision(true, "login 'ubuntu' is granted by role 'prod'"), decision);
    }

    [Fact]
    public void Reason_says_when_no_role_grants_the_login()
    {
        Assert.Equal("no role grants login 'nobody'", s_set.CheckLogin("nobody", Labels("")).Reason);
    }

    [Fact]
    public void Catastrophic_regex_values_are_evaluated_in_linear_time()
    {
        var set = new RoleSet([Allow("r", ["root"], ("host", ["^(a+)+$"]))], NoTraits);

        var decision = set.CheckLogin("root", Labels("host=" + new string('a', 5000) + "!"));

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Can_reach_node_when_some_login_is_allowed_there()
    {
        Assert.True(s_set.CanReachNode(Labels("env=test")));
        Assert.True(s_set.CanReachNode(Labels("")));
        Assert.False(new RoleSet([Allow("dev", ["root"], ("env", ["test"]))], NoTraits).CanReachNode(Labels("env=prod")));
        Assert.False(s_set.CanReachNode(Labels("env=secret")));
    }

    [Fact]
    public void Logins_are_the_union_of_allow_minus_deny_sorted_and_distinct()
    {
        Assert.Equal(["auditor", "deploy", "guest", "ops", "postgres", "root", "ubuntu"], s_set.Logins);
    }
}
