using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class RoleValidatorTests
{
    private static Role Valid => new()
    {
        Name = "dev",
        Allow = new RoleConditions
        {
            Logins = ["root", "{{internal.logins}}", "{{external.groups}}"],
            NodeLabels = new() { ["env"] = ["^(dev|test)$", "stage-*"], ["*"] = ["*"] },
            Rules = [new RoleRule { Resources = ["session"], Verbs = ["list", "read"] }],
        },
    };

    private static string Invalid(Role role) => Assert.Throws<ArgumentException>(() => RoleValidator.Validate(role)).Message;

    [Fact]
    public void A_valid_role_passes()
    {
        RoleValidator.Validate(Valid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("a/b")]
    public void Invalid_names_are_refused(string name)
    {
        Assert.Contains("name", Invalid(Valid with { Name = name }));
    }

    [Fact]
    public void An_invalid_regex_in_node_labels_is_refused_with_its_key()
    {
        var role = Valid with { Allow = Valid.Allow with { NodeLabels = new() { ["env"] = ["^($"] } } };

        Assert.StartsWith("role 'dev': invalid regex '^($' in allow.node_labels.env:", Invalid(role));
    }

    [Fact]
    public void Regex_features_beyond_re2_are_refused()
    {
        var role = Valid with { Deny = new RoleConditions { NodeLabels = new() { ["env"] = ["^(a)\\1$"] } } };

        Assert.Contains("invalid regex", Invalid(role));
    }

    [Theory]
    [InlineData("{{internal.logins")]
    [InlineData("{{internal.logins}}{{internal.x}}")]
    [InlineData("{{secret.logins}}")]
    [InlineData("{{email.local(external.email)}}")]
    [InlineData("logins}}")]
    public void Bad_login_templates_are_refused(string login)
    {
        var role = Valid with { Allow = Valid.Allow with { Logins = [login] } };

        Assert.Contains("bad login template", Invalid(role));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("has space")]
    [InlineData("a:b")]
    public void Logins_that_can_never_work_are_refused(string login)
    {
        Assert.Contains("allow.logins", Invalid(Valid with { Allow = Valid.Allow with { Logins = [login] } }));
    }

    [Fact]
    public void Unknown_verbs_are_refused()
    {
        var role = Valid with { Allow = Valid.Allow with { Rules = [new RoleRule { Resources = ["user"], Verbs = ["reed"] }] } };

        Assert.Contains("unknown verb 'reed' in allow.rules[0].verbs", Invalid(role));
    }

    [Fact]
    public void Rules_without_resources_or_verbs_are_refused()
    {
        Assert.Contains("resources", Invalid(Valid with { Deny = new RoleConditions { Rules = [new RoleRule { Verbs = ["read"] }] } }));
        Assert.Contains("verbs", Invalid(Valid with { Deny = new RoleConditions { Rules = [new RoleRule { Resources = ["user"] }] } }));
    }

    [Theory]
    [InlineData("{{internal.team", "x")]
    [InlineData("team", "{{external.team")]
    public void Bad_label_templates_are_refused(string key, string value)
    {
        var role = Valid with { Allow = Valid.Allow with { NodeLabels = new() { [key] = [value] } } };

        Assert.Contains("bad label template", Invalid(role));
    }

    [Fact]
    public void A_regex_without_its_closing_dollar_is_refused()
    {
        var role = Valid with { Allow = Valid.Allow with { NodeLabels = new() { ["env"] = ["^prod"] } } };

        Assert.Contains("a regex must start with '^' and end with '$'", Invalid(role));
    }

    [Fact]
    public void A_wildcard_label_key_only_takes_a_wildcard_value()
    {
        var role = Valid with { Allow = Valid.Allow with { NodeLabels = new() { ["*"] = ["prod"] } } };

        Assert.Contains("label key '*'", Invalid(role));
    }

    [Fact]
    public void A_negative_max_session_ttl_is_refused()
    {
        Assert.Contains("max_session_ttl", Invalid(Valid with { Options = new RoleOptions { MaxSessionTtl = TimeSpan.FromHours(-1) } }));
    }
}
