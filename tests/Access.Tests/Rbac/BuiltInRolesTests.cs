using Teleport.Orleans.Access.Rbac;
using static Teleport.Orleans.Access.Tests.Rbac.TestRoles;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class BuiltInRolesTests
{
    private static readonly Dictionary<string, string[]> s_traits = new() { ["logins"] = ["alice", "root"] };

    [Fact]
    public void All_lists_access_editor_and_auditor_marked_built_in()
    {
        Assert.Equal(["access", "editor", "auditor"], BuiltInRoles.All.Select(r => r.Name));
        Assert.All(BuiltInRoles.All, r => Assert.True(r.BuiltIn));
        Assert.All(BuiltInRoles.All, RoleValidator.Validate);
    }

    [Fact]
    public void Access_reaches_every_node_with_the_users_own_logins()
    {
        var set = new RoleSet([BuiltInRoles.Access], s_traits);

        Assert.Equal(["alice", "root"], set.Logins);
        Assert.True(set.CheckLogin("root", Labels("env=prod")).Allowed);
        Assert.True(set.CheckLogin("alice", Labels("")).Allowed);
        Assert.False(set.CheckLogin("bob", Labels("")).Allowed);
        Assert.Equal(TimeSpan.FromHours(30), set.MaxSessionTtl);
        Assert.True(set.PortForwarding);
        Assert.True(set.ForwardAgent);
        Assert.True(set.Allows("session", "read"));
        Assert.True(set.Allows("session", "list"));
        Assert.False(set.Allows("role", "list"));
    }

    [Theory]
    [InlineData("user")]
    [InlineData("role")]
    [InlineData("token")]
    [InlineData("lock")]
    [InlineData("cluster_auth_preference")]
    [InlineData("event")]
    [InlineData("session")]
    [InlineData("cert_authority")]
    public void Editor_manages_configuration_resources(string resource)
    {
        var set = new RoleSet([BuiltInRoles.Editor], s_traits);

        Assert.All(new[] { "list", "create", "read", "update", "delete" }, verb => Assert.True(set.Allows(resource, verb), verb));
    }

    [Fact]
    public void Editor_has_no_logins_and_an_8_hour_session()
    {
        var set = new RoleSet([BuiltInRoles.Editor], s_traits);

        Assert.Empty(set.Logins);
        Assert.False(set.CanReachNode(Labels("env=prod")));
        Assert.Equal(TimeSpan.FromHours(8), set.MaxSessionTtl);
    }

    [Fact]
    public void Auditor_reads_sessions_and_events_but_reaches_no_node()
    {
        var set = new RoleSet([BuiltInRoles.Auditor], s_traits);

        Assert.True(set.Allows("session", "read"));
        Assert.True(set.Allows("event", "list"));
        Assert.False(set.Allows("session", "delete"));
        Assert.False(set.Allows("user", "read"));
        Assert.Empty(set.Logins);
        Assert.False(set.CanReachNode(Labels("")));
        Assert.Equal(TimeSpan.FromHours(30), set.MaxSessionTtl);
    }

    [Fact]
    public void Access_and_editor_together_get_the_editors_shorter_session()
    {
        var set = new RoleSet([BuiltInRoles.Access, BuiltInRoles.Editor], s_traits);

        Assert.Equal(TimeSpan.FromHours(8), set.MaxSessionTtl);
        Assert.True(set.CheckLogin("root", Labels("")).Allowed);
        Assert.True(set.Allows("role", "update"));
    }
}
