using Teleport.Orleans.Integration.Tests.Nodes;

namespace Teleport.Orleans.Integration.Tests.Tunnels;

/// <summary>
/// A node configured with only teleport.proxy_server joins through the proxy, keeps a reverse tunnel to it and is
/// reached through that tunnel by plain OpenSSH <c>ssh -J</c>: the node is announced with no address, so the gateway
/// has no other way to it.
/// </summary>
public sealed class ReverseTunnelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Node_joined_through_the_proxy_is_listed_as_a_tunnel_node_and_reached_with_ssh_jump()
    {
        await using var cluster = await TunnelCluster.StartAsync("separate");

        await Within(cluster, Eventually.Until(async () => (await cluster.Server.Tctl("nodes", "ls")).Stdout.Contains(TunnelCluster.NodeName, StringComparison.Ordinal), Patience, "the tunnel node to be listed"));
        var listed = (await cluster.Server.Tctl("nodes", "ls")).EnsureSuccess().Stdout;
        Assert.Contains("⟵ Tunnel", listed, StringComparison.Ordinal);
        var result = await SshWhenTunnelIsUp(cluster, "echo through-the-tunnel; exit 7");

        Assert.True(result.ExitCode == 7, result.Stderr + cluster.Node!.Output + cluster.Server.Output);
        Assert.Equal("through-the-tunnel\n", result.Stdout);
        var status = (await cluster.Server.Tctl("status")).EnsureSuccess().Stdout;
        Assert.Contains("(1 by reverse tunnel, 0 of them with no proxy holding it)", status);
        Assert.Matches(@"tunnels at \S+\s+1", status);
    }

    [Fact]
    public async Task Node_does_not_send_its_token_to_a_proxy_whose_certificate_it_does_not_trust()
    {
        await using var cluster = await TunnelCluster.StartAsync("separate");
        var token = "tok" + Guid.NewGuid().ToString("N");
        (await cluster.Server.Tctl("tokens", "add", "--type=node", "--ttl=1h", $"--value={token}")).EnsureSuccess();
        var config = await TunnelCluster.WriteNodeConfig(cluster.Directory, "untrusting-node", token, cluster.Server.Proxy!.WebPort);

        await using var refused = await TeleportProcess.StartAsync(config, NodeCluster.NodeReady);

        Assert.True(refused.HasExited, refused.Output);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("is not trusted by this host", refused.Output, StringComparison.Ordinal);
        Assert.Contains("--insecure", refused.Output, StringComparison.Ordinal);
        // The token never reached the proxy, so it is still unused.
        Assert.Contains(token, (await cluster.Server.Tctl("tokens", "ls")).EnsureSuccess().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_multiplex_mode_the_tunnel_runs_through_the_web_port()
    {
        await using var cluster = await TunnelCluster.StartAsync("multiplex");

        var result = await SshWhenTunnelIsUp(cluster, "echo multiplexed-tunnel");

        Assert.True(result.ExitCode == 0, result.Stderr + cluster.Node!.Output + cluster.Server.Output);
        Assert.Equal("multiplexed-tunnel\n", result.Stdout);
        Assert.Contains("(TLS routing)", cluster.Node!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tunnel_reconnects_after_the_gateway_restarts()
    {
        await using var cluster = await TunnelCluster.StartAsync("separate");
        (await SshWhenTunnelIsUp(cluster, "true")).EnsureSuccess();

        await cluster.Server.StopAsync();
        await Within(cluster, Eventually.Until(() => cluster.Node!.Output.Contains("Reverse tunnel to proxy", StringComparison.Ordinal)
            && cluster.Node.Output.Contains("is down", StringComparison.Ordinal), Patience, "the node to notice the tunnel dropped"));
        await cluster.Server.RestartAsync();
        var result = await SshWhenTunnelIsUp(cluster, "echo after-restart");

        Assert.True(result.ExitCode == 0, result.Stderr + cluster.Node!.Output + cluster.Server.Output);
        Assert.Equal("after-restart\n", result.Stdout);
    }

    [Fact]
    public async Task A_lock_on_the_login_ends_a_session_held_through_the_proxy_and_the_tunnel_within_5s()
    {
        await using var cluster = await TunnelCluster.StartAsync("separate");
        (await SshWhenTunnelIsUp(cluster, "true")).EnsureSuccess();
        var session = cluster.Ssh("echo started; sleep 60");
        await Within(cluster, Eventually.Until(() => cluster.Node!.Output.Contains("runs echo started; sleep 60", StringComparison.Ordinal), Patience, "the session to start on the node"));

        // The proxy leaves locks on a login to the node: only it knows the login a session runs as.
        (await cluster.Server.Tctl("lock", $"--login={Environment.UserName}", "--message=maintenance")).EnsureSuccess();
        var locked = System.Diagnostics.Stopwatch.StartNew();
        var result = await session.WaitAsync(TimeSpan.FromSeconds(30));

        var message = $"lock targeting Login:\"{Environment.UserName}\" is in force: maintenance";
        Assert.True(locked.Elapsed < TimeSpan.FromSeconds(5), $"the session ran on for {locked.Elapsed} after tctl lock returned\n{cluster.Node!.Output}");
        Assert.True(result.Stderr.Contains(message, StringComparison.Ordinal), $"stderr: {result.Stderr}\n--- node ---\n{cluster.Node!.Output}");
    }

    /// <summary>
    /// Runs the command once the gateway holds the tunnel: until then the gateway refuses the node with "no reverse
    /// tunnel", which is the condition waited on (ssh fails before reaching the node), never a fixed sleep.
    /// </summary>
    private static async Task<Support.CommandResult> SshWhenTunnelIsUp(TunnelCluster cluster, string command)
    {
        Support.CommandResult? result = null;
        await Within(cluster, Eventually.Until(async () =>
        {
            result = await cluster.Ssh(command);
            return !result.Stderr.Contains("forwarding failed", StringComparison.OrdinalIgnoreCase)
                && !result.Stderr.Contains("Connection closed", StringComparison.OrdinalIgnoreCase)
                && !result.Stderr.Contains("Connection refused", StringComparison.OrdinalIgnoreCase);
        }, Patience, "ssh through the tunnel to reach the node"));
        return result!;
    }

    /// <summary>A wait that, when it times out, fails with both processes' logs, which say why.</summary>
    private static async Task Within(TunnelCluster cluster, Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n--- node ---\n{cluster.Node?.Output}\n--- server ---\n{cluster.Server.Output}");
        }
    }
}
