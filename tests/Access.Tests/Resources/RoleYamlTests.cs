using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class RoleYamlTests
{
    private const string Example = """
        kind: role
        version: v7
        metadata:
          name: dev
          description: Developers
          labels:
            team: platform
        spec:
          options:
            max_session_ttl: 1h30m
            port_forwarding: false
            forward_agent: true
            permit_x11_forwarding: false
            disconnect_expired_cert: true
            client_idle_timeout: 15m
          allow:
            logins: ['{{internal.logins}}', ubuntu]
            node_labels:
              env: [test, '^stage-[0-9]+$']
              '*': '*'
            rules:
              - resources: [session, event]
                verbs: [list, read]
          deny:
            logins: [root]
            node_labels:
              env: prod
        """;

    private static Role Parse(string yaml) => Assert.IsType<RoleDocument>(Assert.Single(ResourceYaml.Parse(yaml))).Role;

    [Fact]
    public void A_teleport_role_is_read_into_a_role()
    {
        var role = Parse(Example);

        Assert.Equal("dev", role.Name);
        Assert.Equal("v7", role.Version);
        Assert.Equal("Developers", role.Description);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "platform" }, role.Labels);
        Assert.Equal(
            new RoleOptions
            {
                MaxSessionTtl = TimeSpan.FromMinutes(90),
                PortForwarding = false,
                ForwardAgent = true,
                PermitX11Forwarding = false,
                DisconnectExpiredCert = true,
                ClientIdleTimeout = TimeSpan.FromMinutes(15),
            },
            role.Options);
        Assert.Equal(["{{internal.logins}}", "ubuntu"], role.Allow.Logins);
        Assert.Equal(new Dictionary<string, string[]> { ["env"] = ["test", "^stage-[0-9]+$"], ["*"] = ["*"] }, role.Allow.NodeLabels);
        var rule = Assert.Single(role.Allow.Rules);
        Assert.Equal(["session", "event"], rule.Resources);
        Assert.Equal(["list", "read"], rule.Verbs);
        Assert.Equal(["root"], role.Deny.Logins);
        Assert.Equal(new Dictionary<string, string[]> { ["env"] = ["prod"] }, role.Deny.NodeLabels);
        Assert.False(role.BuiltIn);
    }

    [Fact]
    public void A_role_without_spec_parts_gets_empty_conditions_and_unset_options()
    {
        var role = Parse("kind: role\nversion: v7\nmetadata: {name: empty}\nspec:\n  allow: {}\n");

        Assert.Equal(new RoleOptions(), role.Options);
        Assert.Empty(role.Allow.Logins);
        Assert.Empty(role.Deny.NodeLabels);
    }

    [Fact]
    public void Client_idle_timeout_never_turns_the_limit_off()
    {
        var role = Parse("kind: role\nversion: v7\nmetadata: {name: r}\nspec:\n  options:\n    client_idle_timeout: never\n");

        Assert.Equal(TimeSpan.Zero, role.Options.ClientIdleTimeout);
    }

    [Fact]
    public void Ssh_port_forwarding_is_read_per_direction_and_round_trips()
    {
        var role = Parse("kind: role\nversion: v7\nmetadata: {name: r}\nspec:\n  options:\n    ssh_port_forwarding:\n      local: {enabled: true}\n      remote: {enabled: false}\n");

        Assert.True(role.Options.SshLocalPortForwarding);
        Assert.False(role.Options.SshRemotePortForwarding);
        ResourceAssert.RoundTrips(new RoleDocument(role));
    }

    [Fact]
    public void A_role_round_trips_through_yaml_and_json()
    {
        ResourceAssert.RoundTrips(new RoleDocument(Parse(Example)));
    }

    [Fact]
    public void Built_in_roles_round_trip()
    {
        ResourceAssert.RoundTrips([.. BuiltInRoles.All.Select(r => new RoleDocument(r))]);
    }

    [Fact]
    public void Tricky_strings_round_trip()
    {
        var role = new Role
        {
            Name = "tricky",
            Description = "it's: a #test, with 'quotes' and \"more\"\nand a second line",
            Labels = new() { ["true"] = "1000", ["date"] = "2025-01-01", ["empty"] = "", ["star"] = "*" },
            Options = new RoleOptions { MaxSessionTtl = TimeSpan.FromMilliseconds(1500) },
            Allow = new RoleConditions
            {
                Logins = ["yes", "null", "1000", "{{external[\"a.b\"]}}"],
                NodeLabels = new() { ["env"] = [], ["host"] = ["a,b", "~", "&anchor", "*.example.com"] },
            },
        };

        ResourceAssert.RoundTrips(new RoleDocument(role));
    }

    [Fact]
    public void Output_has_teleports_shape()
    {
        var yaml = ResourceYaml.ToYaml([new RoleDocument(BuiltInRoles.Access)]);

        Assert.Equal("""
            kind: role
            version: v7
            metadata:
              name: access
              description: Access cluster resources
            spec:
              options:
                max_session_ttl: 30h0m0s
                port_forwarding: true
                forward_agent: true
              allow:
                logins: ['{{internal.logins}}']
                node_labels:
                  '*': '*'
                app_labels:
                  '*': '*'
                rules:
                - resources: [session]
                  verbs: [read, list]
              deny: {}

            """.ReplaceLineEndings("\n"), yaml);
    }

    [Theory]
    [InlineData("v5")]
    [InlineData("v6")]
    [InlineData("v8")]
    public void Other_teleport_role_versions_are_read_and_kept(string version)
    {
        Assert.Equal(version, Parse($"kind: role\nversion: {version}\nmetadata: {{name: r}}\nspec: {{}}\n").Version);
    }

    [Fact]
    public void Metadata_keys_written_by_teleport_are_accepted()
    {
        var role = Parse("kind: role\nversion: v7\nmetadata:\n  name: r\n  namespace: default\n  revision: 2a6b\nspec: {}\n");

        Assert.Equal("r", role.Name);
    }
}
