using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>direct-tcpip tunnels through the real OpenSSH sshd, SSH over a tunnel, keep-alives, and a server that dies mid-session.</summary>
public sealed class OpenSshTunnelTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    private OpenSshServer Sshd => fixture.Server;

    [Fact]
    public async Task Direct_tcpip_reaches_a_local_echo_server_through_sshd()
    {
        await using var echo = EchoServer.Start();
        await using var client = await ConnectAsync();

        await using var tunnel = await client.OpenDirectTcpIpAsync("127.0.0.1", echo.Port);
        await tunnel.WriteAsync("ping through the tunnel"u8.ToArray());
        await tunnel.ShutdownWriteAsync();
        var reply = await new StreamReader(tunnel).ReadToEndAsync();

        Assert.Equal("ping through the tunnel", reply);
    }

    [Fact]
    public async Task Direct_tcpip_to_a_closed_port_is_a_connect_failure()
    {
        await using var client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<SshChannelOpenException>(() => client.OpenDirectTcpIpAsync("127.0.0.1", ClosedPort()));

        Assert.Equal(2u, error.ReasonCode);
        Assert.Equal(0, (await client.RunCommandAsync("true")).ExitCode);
    }

    [Fact]
    public async Task A_connection_can_run_over_a_direct_tcpip_channel_of_another_connection()
    {
        await using var inner = TestSshServer.Start();
        inner.AuthorizedKeys.Add(UserKey.PublicKey);
        await using var outer = await ConnectAsync();

        var tunnel = await outer.OpenDirectTcpIpAsync("127.0.0.1", inner.Port);
        var options = Options(UserKey, SshHostKeyVerifiers.Pinned(inner.Options.HostKeys[0].PublicKey));
        options.UserName = "alice";
        await using var client = await SshClient.ConnectAsync(tunnel, options);

        Assert.Equal("alice\n", (await client.RunCommandAsync("whoami")).OutputText);
    }

    [Fact]
    public async Task A_keepalive_is_answered_by_sshd()
    {
        await using var client = await ConnectAsync();

        await client.SendKeepAliveAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(client.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_server_process_killed_mid_session_ends_the_connection_with_a_clear_error()
    {
        await using var client = await ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        await session.ExecAsync("kill -9 $PPID; sleep 30");

        var error = await Assert.ThrowsAsync<SshConnectionException>(() => session.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        // The server process dies without a DISCONNECT: the stream ends or is reset, depending on timing.
        Assert.Equal(SshDisconnectReason.ConnectionLost, error.DisconnectReason);
        Assert.Equal(SshDisconnectReason.ConnectionLost, closed!.DisconnectReason);
    }

    private SshHostKeyVerifier HostVerifier() => SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]);

    private static SshClientOptions Options(SshPrivateKey key, SshHostKeyVerifier verifier, SshCertificate? certificate = null) =>
        ClientOptions.For(OpenSshServer.UserName, key, verifier, certificate);

    private Task<SshClient> ConnectAsync()
    {
        Sshd.Authorize(UserKey.PublicKey);
        return SshClient.ConnectAsync("127.0.0.1", Sshd.Port, Options(UserKey, HostVerifier()));
    }

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
