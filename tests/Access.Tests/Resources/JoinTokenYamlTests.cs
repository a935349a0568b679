using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class JoinTokenYamlTests
{
    private static JoinToken Parse(string yaml) => Assert.IsType<JoinTokenDocument>(Assert.Single(ResourceYaml.Parse(yaml))).Token;

    [Fact]
    public void A_teleport_token_is_read_with_lower_case_system_roles()
    {
        var token = Parse("""
            kind: token
            version: v2
            metadata:
              name: 0123abcd
              expires: "2025-06-01T08:00:00.123456789Z"
            spec:
              roles: [Node, proxy]
              join_method: token
            """);

        Assert.Equal("0123abcd", token.Name);
        Assert.Equal(["node", "proxy"], token.Roles);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1234567), token.Expires);
    }

    [Fact]
    public void A_token_is_written_with_teleports_spelling()
    {
        var yaml = ResourceYaml.ToYaml([new JoinTokenDocument(new JoinToken { Name = "abc", Roles = ["node"], Expires = DateTimeOffset.UnixEpoch })]);

        Assert.Contains("roles: [Node]", yaml);
        Assert.Contains("join_method: token", yaml);
        Assert.Contains("expires: '1970-01-01T00:00:00Z'", yaml);
    }

    [Fact]
    public void A_token_round_trips_through_yaml_and_json()
    {
        ResourceAssert.RoundTrips(new JoinTokenDocument(new JoinToken
        {
            Name = "f00d",
            Roles = ["node", "proxy"],
            Expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(7),
            Labels = new() { ["env"] = "prod" },
        }));
    }

    [Theory]
    [InlineData("roles: [Auth]", "line 6: unsupported system role 'Auth' in spec.roles")]
    [InlineData("roles: []", "line 6: spec.roles must name at least one system role")]
    [InlineData("roles: [Node]\n  join_method: iam", "line 7: unsupported join_method 'iam'")]
    public void Unsupported_token_specs_are_refused(string spec, string error)
    {
        var yaml = $"kind: token\nversion: v2\nmetadata:\n  name: t\nspec:\n  {spec}\n";

        Assert.StartsWith(error, Assert.Throws<ResourceFormatException>(() => ResourceYaml.Parse(yaml)).Message);
    }

    [Fact]
    public void An_expiry_that_is_not_rfc3339_is_refused()
    {
        var yaml = "kind: token\nversion: v2\nmetadata:\n  name: t\n  expires: tomorrow\nspec:\n  roles: [Node]\n";

        var e = Assert.Throws<ResourceFormatException>(() => ResourceYaml.Parse(yaml));

        Assert.StartsWith("line 5: metadata.expires must be an RFC 3339 time", e.Message);
    }
}
