using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class MultiDocumentTests
{
    private static readonly ResourceDocument[] s_all =
    [
        new RoleDocument(BuiltInRoles.Editor),
        new UserDocument(new User { Name = "alice", Roles = ["editor"], Traits = new() { ["logins"] = ["alice"] } }),
        new JoinTokenDocument(new JoinToken { Name = "t0k3n", Roles = ["node"], Expires = DateTimeOffset.UnixEpoch }),
        new AuthPreferenceDocument(new AuthPreference()),
    ];

    [Fact]
    public void Documents_separated_by_dashes_are_read_in_order()
    {
        var docs = ResourceYaml.Parse("""
            ---
            kind: role
            version: v7
            metadata: {name: a}
            spec: {}
            ---
            ---
            kind: user
            version: v2
            metadata: {name: b}
            spec: {roles: [a]}
            """);

        Assert.Equal([("role", "a"), ("user", "b")], docs.Select(d => (d.Kind, d.Name)));
    }

    [Fact]
    public void Every_kind_round_trips_together()
    {
        ResourceAssert.RoundTrips(s_all);
    }

    [Fact]
    public void Yaml_output_separates_documents_with_dashes()
    {
        var yaml = ResourceYaml.ToYaml(s_all);

        Assert.Equal(3, yaml.Split('\n').Count(line => line == "---"));
        Assert.DoesNotContain("...", yaml);
    }

    [Fact]
    public void Json_output_is_an_array_of_the_same_shape()
    {
        var json = ResourceYaml.ToJson(s_all);

        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(4, parsed.RootElement.GetArrayLength());
        var user = parsed.RootElement[1];
        Assert.Equal("user", user.GetProperty("kind").GetString());
        Assert.Equal("alice", user.GetProperty("spec").GetProperty("traits").GetProperty("logins")[0].GetString());
        Assert.Equal("8h0m0s", parsed.RootElement[0].GetProperty("spec").GetProperty("options").GetProperty("max_session_ttl").GetString());
    }

    [Fact]
    public void Json_written_by_other_tools_is_read()
    {
        var json = "{\n\t\"kind\": \"token\",\n\t\"version\": \"v2\",\n\t\"metadata\": {\"name\": \"abc\"},\n\t\"spec\": {\"roles\": [\"Proxy\"]}\n}";

        var token = Assert.IsType<JoinTokenDocument>(Assert.Single(ResourceYaml.Parse(json))).Token;

        Assert.Equal(["proxy"], token.Roles);
    }

    [Fact]
    public void Empty_input_has_no_documents()
    {
        Assert.Empty(ResourceYaml.Parse(""));
        Assert.Empty(ResourceYaml.Parse("---\n# nothing here\n"));
        Assert.Equal("", ResourceYaml.ToYaml([]));
        Assert.Equal("[]", ResourceYaml.ToJson([]));
    }
}
