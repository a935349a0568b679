using System.Net;
using System.Net.Sockets;
using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Our client against the real OpenSSH sshd: host verification, user authentication, exec, streams, tunnels.</summary>
public sealed class OpenSshServerTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    private OpenSshServer Sshd => fixture.Server;

    [Fact]
    public async Task A_host_certificate_from_the_trusted_host_ca_is_verified()
    {
        Sshd.Authorize(UserKey.PublicKey);
        var options = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);

        Assert.Equal("ssh-ed25519-cert-v01@openssh.com", client.Algorithms.HostKey);
        Assert.Equal(Sshd.HostKeys[0].PublicKey, client.HostKey.Certificate!.PublicKey);
        Assert.StartsWith("SSH-2.0-OpenSSH_", client.ServerVersion);
        Assert.Equal("hello\n", (await client.RunCommandAsync("echo hello")).OutputText);
    }

    [Fact]
    public async Task A_host_certificate_from_an_untrusted_ca_is_refused_before_authentication()
    {
        Sshd.Authorize(UserKey.PublicKey);
        var options = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([TestKeys.GetOther(SshKeyType.Ed25519).PublicKey]));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Sshd.Port);
        var localPort = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync(tcp.GetStream(), options));

        Assert.Contains("untrusted CA", error.Message);
        await Sshd.WaitForLogAsync($"port {localPort} [preauth]");
        Assert.DoesNotContain($"for {OpenSshServer.UserName} from 127.0.0.1 port {localPort}", Sshd.Log);
    }

    [Fact]
    public async Task A_host_certificate_for_another_name_is_refused()
    {
        var options = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));
        options.HostName = "other.example";

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options));

        Assert.Contains("Principal 'other.example' is not listed", error.Message);
    }

    [Fact]
    public async Task A_plain_host_key_is_refused_by_a_ca_only_verifier_and_accepted_when_pinned()
    {
        Sshd.Authorize(UserKey.PublicKey);
        var caOnly = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));
        caOnly.HostKeyAlgorithms.Clear();
        caOnly.HostKeyAlgorithms.Add("ssh-ed25519");
        var pinned = Options(UserKey, SshHostKeyVerifiers.Pinned(Sshd.HostKeys[0].PublicKey));
        pinned.HostKeyAlgorithms.Clear();
        pinned.HostKeyAlgorithms.Add("ssh-ed25519");

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync("127.0.0.1", Sshd.Port, caOnly));
        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, pinned);

        Assert.Contains("plain host key", error.Message);
        Assert.Null(client.HostKey.Certificate);
    }

    [Fact]
    public async Task A_user_certificate_is_accepted_through_TrustedUserCAKeys()
    {
        var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var certificate = Sshd.IssueUserCertificate(key.PublicKey);
        var options = Options(key, HostVerifier(), certificate);

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
        var result = await client.RunCommandAsync("exit 0");

        Assert.Equal(0, result.ExitCode);
        await Sshd.WaitForLogAsync($"ED25519-CERT SHA256:{key.PublicKey.Fingerprint[7..]} ID client-test");
    }

    [Theory]
    [InlineData(SshKeyType.Ed25519)]
    [InlineData(SshKeyType.EcdsaP256)]
    [InlineData(SshKeyType.Rsa)]
    public async Task A_plain_key_is_accepted_through_the_AuthorizedKeysFile(SshKeyType type)
    {
        var key = TestKeys.Get(type);
        Sshd.Authorize(key.PublicKey);
        var logs = new ListLogger();
        var options = Options(key, HostVerifier());
        options.LoggerFactory = logs;

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);

        Assert.Equal(0, (await client.RunCommandAsync("true")).ExitCode);
        Assert.Contains($"with publickey {(type == SshKeyType.Rsa ? "rsa-sha2-512" : key.PublicKey.Algorithm)} ", logs.Text);
        await Sshd.WaitForLogAsync($"Accepted publickey for {OpenSshServer.UserName} from 127.0.0.1");
        await Sshd.WaitForLogAsync(key.PublicKey.Fingerprint);
    }

    [Fact]
    public async Task An_unauthorized_key_is_refused_with_the_methods_the_server_allows()
    {
        var options = Options(SshPrivateKey.Generate(SshKeyType.Ed25519), HostVerifier());

        var error = await Assert.ThrowsAsync<SshAuthenticationException>(() => SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options));

        Assert.Contains("publickey", error.AllowedMethods);
        Assert.Contains($"for '{OpenSshServer.UserName}'", error.Message);
    }

    [Fact]
    public async Task Exec_of_echo_and_exit_return_output_and_exit_status()
    {
        await using var client = await ConnectAsync();

        var echo = await client.RunCommandAsync("echo hello world");
        var exit = await client.RunCommandAsync("exit 3");

        Assert.Equal("hello world\n", echo.OutputText);
        Assert.Equal(0, echo.ExitCode);
        Assert.Equal(3, exit.ExitCode);
    }

    [Fact]
    public async Task Stdin_reaches_cat_and_comes_back()
    {
        await using var client = await ConnectAsync();

        var result = await client.RunCommandAsync("cat", Encoding.UTF8.GetBytes("line one\nline two\n"));

        Assert.Equal("line one\nline two\n", result.OutputText);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Stderr_is_kept_separate_from_stdout()
    {
        await using var client = await ConnectAsync();

        var result = await client.RunCommandAsync("echo out; echo err >&2; exit 4");

        Assert.Equal("out\n", result.OutputText);
        Assert.Equal("err\n", result.ErrorText);
        Assert.Equal(4, result.ExitCode);
    }

    [Fact]
    public async Task Twenty_megabytes_through_cat_come_back_byte_exact()
    {
        await using var client = await ConnectAsync();
        var data = new byte[20 * 1024 * 1024];
        new Random(20).NextBytes(data);

        var result = await client.RunCommandAsync("cat", data);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(data.Length, result.Output.Length);
        Assert.True(data.AsSpan().SequenceEqual(result.Output), "The data changed in transit.");
    }

    [Fact]
    public async Task A_killed_program_reports_its_signal()
    {
        await using var client = await ConnectAsync();

        var result = await client.RunCommandAsync("kill -TERM $$");

        Assert.Null(result.ExitCode);
        Assert.Equal("TERM", result.ExitStatus.Signal);
    }

    [Fact]
    public async Task Environment_variables_accepted_by_sshd_reach_the_command()
    {
        await using var client = await ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        Assert.True(await session.SetEnvironmentVariableAsync("GREETING", "hi there"));
        Assert.False(await session.SetEnvironmentVariableAsync("NOT_ACCEPTED", "x"));
        await session.ExecAsync("echo \"$GREETING\"");
        var output = await new StreamReader(session.StandardOutput).ReadToEndAsync();

        Assert.Equal("hi there\n", output);
        Assert.Equal(0, (await session.WaitForExitAsync()).ExitCode);
    }

    [Fact]
    public async Task The_sftp_subsystem_answers_its_version_handshake()
    {
        await using var client = await ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        await session.StartSubsystemAsync("sftp");
        await session.StandardInput.WriteAsync(new byte[] { 0, 0, 0, 5, 1, 0, 0, 0, 3 }); // SSH_FXP_INIT, version 3
        var header = new byte[5];
        await session.StandardOutput.ReadExactlyAsync(header);

        Assert.Equal(2, header[4]); // SSH_FXP_VERSION
    }

    [Fact]
    public async Task A_shell_on_a_pty_runs_what_is_typed()
    {
        await using var client = await ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        await session.RequestPtyAsync(new SshPtyRequest { Terminal = "dumb", Columns = 100, Rows = 30 });
        await session.StartShellAsync();
        await session.ChangeWindowSizeAsync(120, 40);
        await session.StandardInput.WriteAsync("stty size; exit 7\n"u8.ToArray());
        var output = await new StreamReader(session.StandardOutput).ReadToEndAsync();

        Assert.Contains("40 120", output);
        Assert.Equal(7, (await session.WaitForExitAsync()).ExitCode);
    }

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
