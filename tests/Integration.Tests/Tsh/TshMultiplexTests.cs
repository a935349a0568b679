namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// tsh through the multiplexed web port only: login over HTTPS, then SSH to the proxy inside TLS with ALPN
/// <c>teleport-proxy-ssh</c> on the same port for ls, ssh and scp.
/// </summary>
public sealed class TshMultiplexTests(TshMultiplexCluster fixture) : IClassFixture<TshMultiplexCluster>
{
    private readonly TshCluster _cluster = fixture.Cluster;

    private static string Node => $"{TshCluster.Login}@{TshCluster.NodeName}";

    [Fact]
    public async Task Login_on_the_web_port_records_tls_routing_and_ls_lists_the_node()
    {
        await _cluster.SshWhenNodeIsRouted(Node, "true");

        var profile = await File.ReadAllTextAsync(Path.Combine(_cluster.Home.FullName, "127.0.0.1.yaml"));
        var ls = await _cluster.Tsh("ls");

        Assert.True(_cluster.LoginResult.ExitCode == 0, _cluster.LoginResult.Stdout + _cluster.LoginResult.Stderr);
        Assert.Contains("tls_routing_enabled: true", profile);
        // No listen_addr: the proxy opens no SSH port of its own (Teleport's v2+ behaviour), only the web port.
        Assert.DoesNotContain("SSH proxy listening on", _cluster.Server.Output);
        Assert.True(ls.ExitCode == 0, ls.Stderr);
        Assert.Contains(TshCluster.NodeName, ls.Stdout);
        Assert.Contains("env=itest", ls.Stdout);
    }

    [Fact]
    public async Task Ssh_through_the_web_port_runs_a_command_and_returns_its_exit_status()
    {
        var result = await _cluster.SshWhenNodeIsRouted(Node, "echo", "multiplexed;", "exit", "7");

        Assert.True(result.ExitCode == 7, result.Stdout + result.Stderr + _cluster.Server.Output);
        Assert.Equal("multiplexed\n", result.Stdout);
    }

    [Fact]
    public async Task Plain_openssh_reaches_the_node_through_the_web_port_with_tsh_config()
    {
        await _cluster.SshWhenNodeIsRouted(Node, "true");
        // OpenSSH cannot speak ALPN itself: the ProxyCommand (tsh proxy ssh) carries it through TLS on the web port.
        var result = await _cluster.OpenSshThroughTshConfig("echo", "openssh-via-web-port");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("openssh-via-web-port\n", result.Stdout);
    }

    [Fact]
    public async Task Scp_through_the_web_port_copies_to_and_from_the_node_byte_exact()
    {
        await _cluster.SshWhenNodeIsRouted(Node, "true");
        var (content, remote, back, up, down) = await _cluster.ScpRoundTrip(Node, 2_000_000);

        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.Equal(content, remote);
        Assert.Equal(content, back);
    }
}
