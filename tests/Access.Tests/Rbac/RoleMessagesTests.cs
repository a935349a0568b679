using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Rbac;

/// <summary>Roles reach nodes typed (auth.proto's RoleSpec): every field RBAC reads survives the trip.</summary>
public sealed class RoleMessagesTests
{
    [Fact]
    public void A_role_sent_to_a_node_decides_the_same_as_the_original()
    {
        var role = new Role
        {
            Name = "ops",
            Description = "operators",
            Labels = new() { ["team"] = "ops" },
            Options = new RoleOptions
            {
                MaxSessionTtl = TimeSpan.FromHours(8),
                PortForwarding = false,
                DisconnectExpiredCert = true,
                ClientIdleTimeout = TimeSpan.FromMinutes(15),
                ForwardAgent = true,
                SshLocalPortForwarding = true,
                SshRemotePortForwarding = false,
            },
            Allow = new RoleConditions
            {
                Logins = ["root", "{{internal.logins}}"],
                NodeLabels = new() { ["env"] = ["prod", "^stag.*$"] },
                Rules = [new RoleRule { Resources = ["session"], Verbs = ["list", "read"] }],
                JoinSessions = [new SessionJoinPolicy { Name = "auditors", Roles = ["access", "dev*"], Kinds = ["ssh"], Modes = ["observer", "moderator"] }],
            },
            Deny = new RoleConditions { Logins = ["nobody"] },
        };

        var received = RoleMessages.FromMessage(RoleMessages.ToMessage(role));

        Assert.Equal(role.Name, received.Name);
        Assert.Equal(role.Description, received.Description);
        Assert.Equal(role.Labels, received.Labels);
        Assert.Equal(role.Options, received.Options);
        Assert.Equal(role.Allow.Logins, received.Allow.Logins);
        Assert.Equal(role.Allow.NodeLabels["env"], received.Allow.NodeLabels["env"]);
        Assert.Equal(role.Allow.Rules[0], received.Allow.Rules[0], (a, b) => a.Resources.SequenceEqual(b.Resources) && a.Verbs.SequenceEqual(b.Verbs));
        Assert.Equal(role.Deny.Logins, received.Deny.Logins);
        var policy = Assert.Single(received.Allow.JoinSessions);
        Assert.Equal("auditors", policy.Name);
        Assert.Equal(["access", "dev*"], policy.Roles);
        Assert.Equal(["ssh"], policy.Kinds);
        Assert.Equal(["observer", "moderator"], policy.Modes);
        var traits = new Dictionary<string, string[]> { ["logins"] = ["alice"] };
        var labels = new Dictionary<string, string> { ["env"] = "staging" };
        Assert.Equal(new RoleSet([role], traits).CanReachNode(labels), new RoleSet([received], traits).CanReachNode(labels));
    }

    [Fact]
    public void Options_a_role_leaves_unset_stay_unset_so_the_role_set_default_applies()
    {
        var received = RoleMessages.FromMessage(RoleMessages.ToMessage(new Role { Name = "plain" }));

        Assert.Null(received.Options.PortForwarding);
        Assert.Null(received.Options.MaxSessionTtl);
        Assert.Null(received.Options.ClientIdleTimeout);
        Assert.Null(received.Options.SshRemotePortForwarding);
        Assert.Empty(received.Allow.JoinSessions);
        Assert.Equal("v7", received.Version);
    }
}
