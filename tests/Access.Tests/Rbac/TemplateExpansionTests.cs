using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using static Teleport.Orleans.Access.Tests.Rbac.TestRoles;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class TemplateExpansionTests
{
    private static RoleSet Set(Role role, params (string Trait, string[] Values)[] traits) =>
        new([role], traits.ToDictionary(t => t.Trait, t => t.Values));

    [Fact]
    public void Internal_logins_expands_to_the_users_logins()
    {
        var set = Set(Allow("access", ["{{internal.logins}}"], ("*", ["*"])), ("logins", ["alice", "root"]));

        Assert.Equal(["alice", "root"], set.Logins);
        Assert.Equal(["alice", "root"], set.Roles[0].Allow.Logins);
        Assert.True(set.CheckLogin("alice", Labels("")).Allowed);
    }

    [Fact]
    public void Internal_and_external_traits_expand_with_prefix_and_suffix()
    {
        var set = Set(
            Allow("r", ["{{external.groups}}", "admin-{{internal.team}}-x", "{{ internal.logins }}", "{{external[\"unix.name\"]}}"], ("*", ["*"])),
            ("groups", ["devs"]), ("team", ["db"]), ("logins", ["bob"]), ("unix.name", ["robert"]));

        Assert.Equal(["admin-db-x", "bob", "devs", "robert"], set.Logins);
    }

    [Fact]
    public void A_template_without_values_expands_to_nothing()
    {
        var set = Set(Allow("access", ["{{internal.logins}}", "ubuntu"], ("*", ["*"])));

        Assert.Equal(["ubuntu"], set.Logins);
    }

    [Fact]
    public void Invalid_logins_after_expansion_are_dropped()
    {
        var set = Set(Allow("access", ["{{internal.logins}}"], ("*", ["*"])),
            ("logins", ["ok", "-dash", "has space", "a:b", "a/b", "", new string('x', 33)]));

        Assert.Equal(["ok"], set.Logins);
    }

    [Fact]
    public void Deny_logins_expand_too()
    {
        var role = Allow("r", ["root", "alice"], ("*", ["*"])) with { Deny = new RoleConditions { Logins = ["{{internal.banned}}"] } };

        var set = Set(role, ("banned", ["root"]));

        Assert.Equal(["alice"], set.Logins);
        Assert.False(set.CheckLogin("root", Labels("")).Allowed);
    }

    [Fact]
    public void Node_label_values_expand_from_traits()
    {
        var set = Set(Allow("team", ["root"], ("team", ["{{internal.teams}}"])), ("teams", ["db", "web"]));

        Assert.True(set.CheckLogin("root", Labels("team=db")).Allowed);
        Assert.True(set.CheckLogin("root", Labels("team=web")).Allowed);
        Assert.False(set.CheckLogin("root", Labels("team=ops")).Allowed);
    }

    [Fact]
    public void An_allow_label_whose_trait_is_missing_matches_no_node()
    {
        var role = Allow("team", ["root"], ("env", ["prod"]), ("{{internal.key}}", ["x"]), ("team", ["{{internal.teams}}"]));

        var set = Set(role);

        Assert.False(set.CheckLogin("root", Labels("env=prod,team=")).Allowed);
    }

    [Fact]
    public void Unsupported_template_functions_expand_to_nothing()
    {
        var set = Set(Allow("r", ["{{email.local(external.email)}}", "ubuntu"], ("*", ["*"])), ("email", ["a@b.c"]));

        Assert.Equal(["ubuntu"], set.Logins);
    }

    [Fact]
    public void The_original_roles_are_not_changed()
    {
        var role = Allow("access", ["{{internal.logins}}"], ("*", ["*"]));

        _ = Set(role, ("logins", ["alice"]));

        Assert.Equal(["{{internal.logins}}"], role.Allow.Logins);
    }
}
