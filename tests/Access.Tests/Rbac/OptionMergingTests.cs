using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using static Teleport.Orleans.Access.Tests.Rbac.TestRoles;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class OptionMergingTests
{
    private static Role WithOptions(string name, RoleOptions options) => new() { Name = name, Options = options };

    private static RoleSet Set(params RoleOptions[] options) =>
        new([.. options.Select((o, i) => WithOptions($"r{i}", o))], NoTraits);

    [Fact]
    public void Shortest_max_session_ttl_wins()
    {
        var set = Set(new() { MaxSessionTtl = TimeSpan.FromHours(8) }, new() { MaxSessionTtl = TimeSpan.FromHours(4) });

        Assert.Equal(TimeSpan.FromHours(4), set.MaxSessionTtl);
    }

    [Fact]
    public void A_role_without_max_session_ttl_counts_as_30_hours()
    {
        Assert.Equal(TimeSpan.FromHours(30), Set(new RoleOptions()).MaxSessionTtl);
        Assert.Equal(TimeSpan.FromHours(30), Set(new RoleOptions(), new() { MaxSessionTtl = TimeSpan.FromHours(40) }).MaxSessionTtl);
    }

    [Fact]
    public void An_empty_role_set_has_a_zero_session_ttl()
    {
        Assert.Equal(TimeSpan.Zero, new RoleSet([], NoTraits).MaxSessionTtl);
    }

    [Fact]
    public void Port_forwarding_false_wins()
    {
        Assert.False(Set(new() { PortForwarding = true }, new() { PortForwarding = false }).PortForwarding);
    }

    [Fact]
    public void Port_forwarding_defaults_to_on_when_unset()
    {
        Assert.True(Set(new RoleOptions(), new RoleOptions()).PortForwarding);
    }

    [Fact]
    public void Ssh_port_forwarding_decides_each_direction_and_overrides_port_forwarding()
    {
        var remoteOff = Set(new RoleOptions { PortForwarding = true, SshRemotePortForwarding = false });
        Assert.True(remoteOff.LocalPortForwarding);
        Assert.False(remoteOff.RemotePortForwarding);
        Assert.True(remoteOff.PortForwarding);

        var legacyOffButLocalOn = Set(new RoleOptions { PortForwarding = false, SshLocalPortForwarding = true });
        Assert.True(legacyOffButLocalOn.LocalPortForwarding);
        Assert.True(legacyOffButLocalOn.RemotePortForwarding);
    }

    [Fact]
    public void Port_forwarding_false_turns_both_directions_off_and_any_role_turning_one_off_wins()
    {
        var legacyOff = Set(new RoleOptions { PortForwarding = false });
        Assert.False(legacyOff.LocalPortForwarding);
        Assert.False(legacyOff.RemotePortForwarding);
        Assert.False(Set(new RoleOptions(), new() { SshLocalPortForwarding = false }).LocalPortForwarding);
    }

    [Fact]
    public void Agent_forwarding_needs_a_role_that_turns_it_on()
    {
        Assert.False(Set(new RoleOptions()).ForwardAgent);
        Assert.True(Set(new RoleOptions(), new() { ForwardAgent = true }).ForwardAgent);
        Assert.False(Set(new() { ForwardAgent = true }, new() { ForwardAgent = false }).ForwardAgent);
    }

    [Fact]
    public void X11_forwarding_follows_the_same_rule_as_agent_forwarding()
    {
        Assert.False(Set(new RoleOptions()).PermitX11Forwarding);
        Assert.True(Set(new() { PermitX11Forwarding = true }, new RoleOptions()).PermitX11Forwarding);
        Assert.False(Set(new() { PermitX11Forwarding = true }, new() { PermitX11Forwarding = false }).PermitX11Forwarding);
    }

    [Fact]
    public void One_role_with_disconnect_expired_cert_turns_it_on()
    {
        Assert.False(Set(new RoleOptions(), new() { DisconnectExpiredCert = false }).DisconnectExpiredCert);
        Assert.True(Set(new() { DisconnectExpiredCert = false }, new() { DisconnectExpiredCert = true }).DisconnectExpiredCert);
    }

    [Fact]
    public void Shortest_client_idle_timeout_wins_and_unset_or_zero_means_no_limit()
    {
        Assert.Equal(TimeSpan.Zero, Set(new RoleOptions(), new() { ClientIdleTimeout = TimeSpan.Zero }).ClientIdleTimeout);
        Assert.Equal(
            TimeSpan.FromMinutes(5),
            Set(new() { ClientIdleTimeout = TimeSpan.FromMinutes(30) }, new RoleOptions(), new() { ClientIdleTimeout = TimeSpan.FromMinutes(5) }).ClientIdleTimeout);
    }
}
