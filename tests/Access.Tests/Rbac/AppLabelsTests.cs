using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Rbac;

/// <summary>Role <c>app_labels</c>: which apps a user reaches, in YAML, in the typed RoleSpec and in the decision.</summary>
public sealed class AppLabelsTests
{
    private static readonly Dictionary<string, string> Prod = new() { ["env"] = "prod", ["team"] = "ops" };

    [Fact]
    public void An_app_is_reached_only_when_some_role_s_app_labels_match_it()
    {
        var ops = new Role { Name = "ops", Allow = new RoleConditions { AppLabels = new() { ["env"] = ["prod"] } } };
        var dev = new Role { Name = "dev", Allow = new RoleConditions { AppLabels = new() { ["env"] = ["dev"] } } };

        Assert.True(new RoleSet([ops], new Dictionary<string, string[]>()).CheckApp(Prod).Allowed);
        Assert.False(new RoleSet([dev], new Dictionary<string, string[]>()).CheckApp(Prod).Allowed);
        Assert.False(new RoleSet([new Role { Name = "none" }], new Dictionary<string, string[]>()).CheckApp(Prod).Allowed);
    }

    [Fact]
    public void A_deny_app_label_wins_over_any_allow()
    {
        var all = new Role { Name = "all", Allow = new RoleConditions { AppLabels = new() { ["*"] = ["*"] } } };
        var noOps = new Role { Name = "no-ops", Deny = new RoleConditions { AppLabels = new() { ["team"] = ["ops"] } } };

        var decision = new RoleSet([all, noOps], new Dictionary<string, string[]>()).CheckApp(Prod);

        Assert.False(decision.Allowed);
        Assert.Contains("no-ops", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void App_labels_expand_templates_from_traits()
    {
        var role = new Role { Name = "mine", Allow = new RoleConditions { AppLabels = new() { ["team"] = ["{{external.team}}"] } } };

        var decision = new RoleSet([role], new Dictionary<string, string[]> { ["team"] = ["ops"] }).CheckApp(Prod);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void App_labels_survive_yaml_and_the_typed_role_spec()
    {
        var yaml = "kind: role\nversion: v7\nmetadata: {name: r}\nspec:\n  allow:\n    app_labels:\n      env: [prod, '^stag.*$']\n  deny:\n    app_labels:\n      secret: 'yes'\n";

        var role = Assert.IsType<RoleDocument>(Assert.Single(ResourceYaml.Parse(yaml))).Role;
        var typed = RoleMessages.FromMessage(RoleMessages.ToMessage(role));

        Assert.Equal(["prod", "^stag.*$"], role.Allow.AppLabels["env"]);
        Assert.Equal(["yes"], role.Deny.AppLabels["secret"]);
        Assert.Equal(role.Allow.AppLabels["env"], typed.Allow.AppLabels["env"]);
        Assert.Equal(role.Deny.AppLabels["secret"], typed.Deny.AppLabels["secret"]);
        Assert.Equal("prod", RoleCodec.Write(role)["spec"]!["allow"]!["app_labels"]!["env"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_built_in_access_role_reaches_every_app()
    {
        Assert.True(new RoleSet([BuiltInRoles.Access], new Dictionary<string, string[]>()).CheckApp(Prod).Allowed);
    }
}
