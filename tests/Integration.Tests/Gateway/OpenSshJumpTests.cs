using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// Plain OpenSSH <c>ssh -J</c> through the gateway on the all-in-one cluster, to the process's own agent node and to
/// an agentless OpenSSH sshd registered with <c>tctl create</c>.
/// </summary>
public sealed class OpenSshJumpTests(OpenSshJumpTests.Cluster cluster) : IClassFixture<OpenSshJumpTests.Cluster>
{
    [Fact]
    public async Task Ssh_jump_reaches_an_agentless_openssh_node_by_its_hostname()
    {
        var result = await cluster.Jump.Run(cluster.Server.Proxy!.SshPort, "agentless-1", cluster.Sshd.Port, "echo through-the-gateway");

        Assert.True(result.ExitCode == 0, result.Stderr + cluster.Sshd.Log);
        Assert.Equal("through-the-gateway\n", result.Stdout);
    }

    [Fact]
    public async Task Ssh_jump_reaches_the_agent_node_with_its_host_certificate_trusted()
    {
        var result = await cluster.Jump.Run(cluster.Server.Proxy!.SshPort, "itest", cluster.NodePort, "echo ran-on-node; exit 3");

        Assert.True(result.Stdout.Contains("ran-on-node", StringComparison.Ordinal), result.Stderr + cluster.Server.Output);
        Assert.Equal(3, result.ExitCode);
        await cluster.Server.WaitForOutput("Login of jumper as " + Environment.UserName);
    }

    [Fact]
    public async Task More_than_twenty_logins_in_flight_at_once_through_the_proxy_to_a_directly_dialled_node_all_succeed()
    {
        // Every connection the proxy dials comes from its address; the node allows one address 20 waiting logins.
        const int Logins = 25;
        await using var proxy = await ProxyClient.Connect(cluster.Server, cluster.JumperKey, cluster.Server.Proxy!.SshPort);
        var options = new SshClientOptions
        {
            UserName = Environment.UserName,
            HostName = "itest",
            PrivateKey = SshPrivateKey.Parse(await File.ReadAllTextAsync(cluster.JumperKey)),
            Certificate = SshCertificate.Parse(await File.ReadAllTextAsync(cluster.JumperKey + "-cert.pub")),
            HostKeyVerifier = SshHostKeyVerifiers.CertificateAuthority([await ProxyClient.HostCa(cluster.Server)], TimeSpan.FromMinutes(1)),
            ConnectTimeout = TimeSpan.FromMinutes(2),
        };
        var held = new List<HeldStream>();
        for (var i = 0; i < Logins; i++)
        {
            held.Add(new HeldStream(await proxy.OpenDirectTcpIpAsync("itest", cluster.NodePort)));
        }

        var logins = held.Select(stream => SshClient.ConnectAsync(stream, options)).ToArray();
        await Task.WhenAll(held.Select(stream => stream.NodeAnswered)).WaitAsync(TimeSpan.FromMinutes(1));
        held.ForEach(stream => stream.Release());
        var outputs = new List<string>();
        foreach (var login in logins)
        {
            await using var client = await login;
            outputs.Add((await client.RunCommandAsync("echo logged-in")).OutputText);
        }

        Assert.Equal(Enumerable.Repeat("logged-in\n", Logins), outputs);
    }

    [Fact]
    public async Task Proxy_audits_session_start_and_end_with_the_client_address()
    {
        (await cluster.Jump.Run(cluster.Server.Proxy!.SshPort, "agentless-1", cluster.Sshd.Port, "true")).EnsureSuccess();

        var client = cluster.Server.AdminClient(out var channel);
        using var _ = channel;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string[] events;
        do
        {
            // The end event is written when the proxy's channel closes, just after ssh exits.
            events = [.. (await client.SearchEventsAsync(new SearchEventsRequest
            {
                From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
                To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
                EventTypes = { "session.start", "session.end" },
                Limit = 1000,
            }, cancellationToken: timeout.Token)).Events];
            if (events.Any(e => e.Contains("session.end", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(100, timeout.Token);
        }
        while (true);

        Assert.Contains(events, e => e.Contains("session.start", StringComparison.Ordinal) && e.Contains("\"jumper\"", StringComparison.Ordinal)
            && e.Contains("agentless-1", StringComparison.Ordinal) && e.Contains("127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Contains("session.end", StringComparison.Ordinal) && e.Contains("bytes_received", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_whose_roles_reach_no_node_is_refused_before_the_gateway_dials()
    {
        var denied = new OpenSshJump(cluster.Directory, cluster.DeniedKey, Environment.UserName, cluster.KnownHosts);

        var result = await denied.Run(cluster.Server.Proxy!.SshPort, "agentless-1", cluster.Sshd.Port, "echo should-not-run");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("should-not-run", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("forwarding failed", result.Stderr, StringComparison.Ordinal);
        await cluster.Server.WaitForOutput("access denied to no-logins");
    }

    [Fact]
    public async Task A_lock_ends_a_relayed_session_in_progress_and_refuses_the_next()
    {
        (await cluster.Server.Tctl("users", "add", "lock-me", "--roles=access", $"--logins={Environment.UserName}")).EnsureSuccess();
        var jump = new OpenSshJump(cluster.Directory, await ProxyClient.SignUser(cluster.Server, "lock-me", cluster.Directory), Environment.UserName, cluster.KnownHosts);
        var running = jump.Run(cluster.Server.Proxy!.SshPort, "agentless-1", cluster.Sshd.Port, "sleep 50; echo finished");
        var client = cluster.Server.AdminClient(out var channel);
        using var _ = channel;
        await Eventually.Until(async () => (await client.SearchEventsAsync(new SearchEventsRequest
        {
            From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
            To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
            EventTypes = { "session.start" },
            Limit = 1000,
        })).Events.Any(e => e.Contains("\"lock-me\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the relayed session to start");

        (await cluster.Server.Tctl("lock", "--user=lock-me", "--message=incident 42")).EnsureSuccess();
        var ended = await running;
        var refused = await jump.Run(cluster.Server.Proxy!.SshPort, "agentless-1", cluster.Sshd.Port, "echo should-not-run");

        // The agentless sshd knows nothing of locks: only the gateway can have cut the session short.
        Assert.NotEqual(0, ended.ExitCode);
        Assert.DoesNotContain("finished", ended.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.DoesNotContain("should-not-run", refused.Stdout, StringComparison.Ordinal);
        await cluster.Server.WaitForOutput("lock-me: locked by");
    }

    public sealed class Cluster : IAsyncLifetime
    {
        internal TeleportServer Server { get; private set; } = null!;

        internal AgentlessSshd Sshd { get; private set; } = null!;

        internal OpenSshJump Jump { get; private set; } = null!;

        internal int NodePort { get; } = FreePorts.Take(1)[0];

        internal string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("gateway-jump-").FullName;

        internal string KnownHosts { get; private set; } = "";

        internal string DeniedKey { get; private set; } = "";

        internal string JumperKey { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Server = await TeleportServer.StartWithProxyAsync(new ProxySettings { NodePort = NodePort });
            await Server.WaitForOutput("SSH service is running.");
            var login = Environment.UserName;
            (await Server.Tctl("users", "add", "jumper", "--roles=access", $"--logins={login}")).EnsureSuccess();
            (await Server.Tctl("users", "add", "no-logins", "--roles=auditor")).EnsureSuccess();
            var key = JumperKey = await ProxyClient.SignUser(Server, "jumper", Directory);
            DeniedKey = await ProxyClient.SignUser(Server, "no-logins", Directory);

            Sshd = await AgentlessSshd.StartRegisteredAsync(Server, "agentless-1", Directory);
            KnownHosts = $"@cert-authority * {(await ProxyClient.HostCa(Server)).ToAuthorizedKeysLine()}\n[agentless-1]:{Sshd.Port} {Sshd.HostKeyLine}\n";
            Jump = new OpenSshJump(Directory, key, login, KnownHosts);
        }

        public async Task DisposeAsync()
        {
            if (Sshd is not null)
            {
                await Sshd.DisposeAsync();
            }

            await Server.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
