using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>tsh against the real all-in-one cluster: login, ssh exec and PTY, -L, label targets, scp, OpenSSH through tsh config.</summary>
public sealed class TshEndToEndTests(TshCluster cluster) : IClassFixture<TshCluster>
{
    private static string Node => $"{TshCluster.Login}@{TshCluster.NodeName}";

    [Fact]
    public async Task Login_with_piped_password_and_totp_stores_a_profile_for_the_cluster()
    {
        var status = await cluster.Tsh("status");

        Assert.True(cluster.LoginResult.ExitCode == 0, cluster.LoginResult.Stdout + cluster.LoginResult.Stderr);
        Assert.Contains("Logged in as:       alice", status.Stdout);
        Assert.Contains($"Logins:             {TshCluster.Login}", status.Stdout);
        Assert.Contains("@cert-authority ", File.ReadAllText(Path.Combine(cluster.Home.FullName, "known_hosts")));
    }

    [Fact]
    public async Task A_session_idle_past_the_roles_client_idle_timeout_is_ended_by_the_node_and_tsh_says_why()
    {
        var roleFile = Path.Combine(cluster.Home.FullName, "idle.yaml");
        await File.WriteAllTextAsync(roleFile, """
            kind: role
            version: v7
            metadata:
              name: idle
            spec:
              options:
                client_idle_timeout: 2s
              allow:
                logins: ['{{internal.logins}}']
                node_labels:
                  '*': '*'
            """);
        (await cluster.Server.Tctl("create", roleFile)).EnsureSuccess();
        var home = Directory.CreateTempSubdirectory("tsh-e2e-idle-");
        try
        {
            var (_, login) = await cluster.AddUserAndLoginAsync("ivy", "idle", home);
            Assert.True(login.ExitCode == 0, login.Stdout + login.Stderr);
            await cluster.SshWhenNodeIsRouted(Node, "true");

            var result = await TshCluster.TshIn(home, "", "ssh", Node, "sleep 60");

            Assert.True(result.ExitCode == 255, $"exit {result.ExitCode}: {result.Stderr}");
            Assert.Equal("Client exceeded idle timeout of 2s\n", result.Stderr);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Ssh_runs_a_command_on_the_node_and_exits_with_its_status()
    {
        var result = await cluster.SshWhenNodeIsRouted(Node, "echo", "on-$(hostname)-node;", "exit", "5");

        Assert.True(result.ExitCode == 5, result.Stdout + result.Stderr);
        Assert.StartsWith("on-", result.Stdout);
    }

    [Fact]
    public async Task Bench_ssh_opens_every_session_through_the_proxy_at_the_rate_asked_and_reports_the_latency_percentiles()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        // At most ten at once: a loaded test machine must not push the handshakes past the proxy's per-address budget.
        var result = await cluster.Tsh("bench", "ssh", "--rate=20", "--duration=2s", "--concurrency-limit=10", Node, "echo", "-n", "bench");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.True(result.Stdout.Contains("* Requests originated: 40\n", StringComparison.Ordinal), result.Stdout);
        Assert.True(result.Stdout.Contains("* Requests failed: 0\n", StringComparison.Ordinal), result.Stdout);
        Assert.Matches(@"Sessions started per second: \d+\.\d", result.Stdout);
        foreach (var percentile in new[] { "50", "90", "99", "99.9", "100" })
        {
            Assert.Matches($@"(?m)^\s*{Regex.Escape(percentile)}\s+\d+(\.\d)? ms\s*$", result.Stdout);
        }
    }

    [Fact]
    public async Task Bench_ssh_counts_a_session_whose_command_fails_with_its_reason()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        var result = await cluster.Tsh("bench", "ssh", "--rate=5", "--duration=1s", Node, "exit", "3");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.True(result.Stdout.Contains("* Requests failed: 5\n", StringComparison.Ordinal), result.Stdout);
        Assert.Contains("The command exited with status 3.", result.Stdout);
    }

    [Fact]
    public async Task Ls_lists_the_node_with_its_labels_and_filters_by_them()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        var all = await cluster.Tsh("ls");
        var matching = await cluster.Tsh("ls", "env=itest");
        var none = await cluster.Tsh("ls", "env=elsewhere");

        Assert.True(all.ExitCode == 0, all.Stderr);
        Assert.Contains(TshCluster.NodeName, all.Stdout);
        Assert.Contains("env=itest", all.Stdout);
        // The selector goes to the proxy as its label filter; the node that carries the label is still listed.
        Assert.True(matching.ExitCode == 0, matching.Stderr);
        Assert.Contains(TshCluster.NodeName, matching.Stdout);
        Assert.True(none.ExitCode == 0, none.Stderr);
        Assert.DoesNotContain(TshCluster.NodeName, none.Stdout);
    }

    [Fact]
    public async Task Ssh_with_t_gets_a_terminal_on_the_node()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        var result = await cluster.Run("script", "-qec", $"dotnet {TshCluster.TshDll} ssh -t {Node} tty", "/dev/null");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("/dev/pts/", result.Stdout);
    }

    [Fact]
    public async Task Scp_copies_to_and_from_the_node_byte_exact()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");
        var (content, remote, back, up, down) = await cluster.ScpRoundTrip(Node, 4_000_000);

        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.Equal(content, remote);
        Assert.Equal(content, back);
    }

    [Fact]
    public async Task OpenSsh_reaches_the_node_through_the_config_tsh_prints()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");
        var result = await cluster.OpenSshThroughTshConfig("echo", "via-openssh");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("via-openssh\n", result.Stdout);
    }

    [Fact]
    public async Task A_local_forward_carries_data_to_a_service_beside_the_node_while_the_command_runs()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var echoing = EchoOnceAsync(echo);

        var (echoed, result) = await WhileForwardingAsync(cluster.Home, ((IPEndPoint)echo.LocalEndpoint).Port, async stream =>
        {
            await stream.WriteAsync("through itest\n"u8.ToArray());
            return await ReadAsync(stream, 14);
        });
        await echoing;

        Assert.Equal("through itest\n", echoed);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("released\n", result.Stdout);
    }

    [Fact]
    public async Task A_forward_the_role_does_not_permit_is_refused_in_one_line_and_the_command_runs_on()
    {
        var roleFile = Path.Combine(cluster.Home.FullName, "noforward.yaml");
        await File.WriteAllTextAsync(roleFile, """
            kind: role
            version: v7
            metadata:
              name: noforward
            spec:
              options:
                port_forwarding: false
              allow:
                logins: ['{{internal.logins}}']
                node_labels:
                  '*': '*'
            """);
        (await cluster.Server.Tctl("create", roleFile)).EnsureSuccess();
        var home = Directory.CreateTempSubdirectory("tsh-e2e-noforward-");
        try
        {
            var (_, login) = await cluster.AddUserAndLoginAsync("nora", "noforward", home);
            Assert.True(login.ExitCode == 0, login.Stdout + login.Stderr);
            await cluster.SshWhenNodeIsRouted(Node, "true");

            var (echoed, result) = await WhileForwardingAsync(home, 9, stream => ReadAsync(stream, 1));

            Assert.Equal("", echoed);
            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            Assert.Equal("released\n", result.Stdout);
            Assert.StartsWith("Forwarding to 127.0.0.1:9 failed: the node refused it (administratively prohibited", result.Stderr);
            Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_label_target_runs_the_command_on_the_matching_node_with_its_name_before_each_line()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        var matching = await cluster.Tsh("ssh", $"{TshCluster.Login}@env=itest", "echo", "a;", "echo", "b");
        var none = await cluster.Tsh("ssh", $"{TshCluster.Login}@env=elsewhere", "echo", "a");

        Assert.True(matching.ExitCode == 0, matching.Stdout + matching.Stderr);
        Assert.Equal($"[{TshCluster.NodeName}] a\n[{TshCluster.NodeName}] b\n", matching.Stdout);
        Assert.Equal(255, none.ExitCode);
        Assert.Equal("ERROR: No node matches the labels env=elsewhere (see 'tsh ls').\n", none.Stderr);
    }

    /// <summary>
    /// tsh ssh -L to 127.0.0.1:<paramref name="servicePort"/> beside the node (which runs on this host) with a command that
    /// runs until <paramref name="use"/> has used one forwarded connection; what it returned and tsh's result.
    /// </summary>
    private static async Task<(string Used, CommandResult Result)> WhileForwardingAsync(DirectoryInfo home, int servicePort, Func<Stream, Task<string>> use)
    {
        var port = FreePorts.Take(1)[0];
        var release = Path.Combine(home.FullName, $"release-{port}");
        var tsh = TshCluster.TshIn(home, "", "ssh", "-L", $"{port}:127.0.0.1:{servicePort}", Node, $"while [ ! -e {release} ]; do sleep 0.1; done; echo released");
        string used;
        try
        {
            using var connection = await ConnectWhenListeningAsync(port, tsh);
            used = await use(connection.GetStream());
        }
        finally
        {
            await File.WriteAllTextAsync(release, "");
        }

        return (used, await tsh);
    }

    /// <summary>Up to <paramref name="count"/> bytes, fewer when the connection closes first.</summary>
    private static async Task<string> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (read < count && await stream.ReadAsync(buffer.AsMemory(read), timeout.Token) is var got and > 0)
        {
            read += got;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static async Task EchoOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await client.GetStream().CopyToAsync(client.GetStream());
    }

    private static async Task<TcpClient> ConnectWhenListeningAsync(int port, Task<CommandResult> tsh)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return client;
            }
            catch (SocketException) when (!tsh.IsCompleted)
            {
                client.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                var ended = await tsh;
                throw new InvalidOperationException($"tsh ended before it listened: {ended.Stderr}");
            }
        }
    }
}
