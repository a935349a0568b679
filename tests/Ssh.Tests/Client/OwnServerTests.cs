using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Our client against our own server, in process: exec, streams, rekeying, refusals and disconnects.</summary>
public sealed class OwnServerTests
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    [Fact]
    public async Task Exec_returns_the_output_and_the_exit_status()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);

        var echo = await client.RunCommandAsync("echo hello");
        var exit = await client.RunCommandAsync("exit 3");

        Assert.Equal("hello\n", echo.OutputText);
        Assert.Equal(0, echo.ExitCode);
        Assert.Equal(3, exit.ExitCode);
    }

    [Fact]
    public async Task Stdout_and_stderr_arrive_separately()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);

        var result = await client.RunCommandAsync("split");

        Assert.Equal("to stdout\n", result.OutputText);
        Assert.Equal("to stderr\n", result.ErrorText);
        Assert.Equal(5, result.ExitCode);
    }

    [Fact]
    public async Task Stdin_is_piped_through_cat()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);

        var result = await client.RunCommandAsync("cat", Encoding.UTF8.GetBytes("hello\n"));

        Assert.Equal("hello\n", result.OutputText);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Environment_variables_reach_the_program()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        Assert.True(await session.SetEnvironmentVariableAsync("GREETING", "hi there"));
        await session.ExecAsync("printenv GREETING");
        var output = await new StreamReader(session.StandardOutput).ReadToEndAsync();

        Assert.Equal("hi there\n", output);
        Assert.Equal(0, (await session.WaitForExitAsync()).ExitCode);
    }

    [Fact]
    public async Task Several_sessions_run_at_once_on_one_connection()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.RunCommandAsync($"echo {i}")));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{i}\n"), results.Select(r => r.OutputText));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_rekey_mid_transfer_keeps_the_data_intact(bool clientInitiates)
    {
        await using var server = StartServer(o => o.RekeyBytes = clientInitiates ? 1L << 30 : 256 * 1024);
        var options = Options(server);
        options.RekeyBytes = clientInitiates ? 256 * 1024 : 1L << 30;
        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, options);
        var data = TestSessionHandler.Pattern(3_000_000);

        var result = await client.RunCommandAsync("cat", data);

        Assert.Equal(0, result.ExitCode);
        Assert.True(data.AsSpan().SequenceEqual(result.Output), "The data changed in transit.");
        Assert.True(client.KeyExchangeCount > 2, $"Only {client.KeyExchangeCount} key exchanges.");
    }

    [Fact]
    public async Task An_explicit_rekey_during_a_session_is_transparent()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();
        await session.ExecAsync("cat");

        await session.StandardInput.WriteAsync("before\n"u8.ToArray());
        await client.RekeyAsync();
        await session.StandardInput.WriteAsync("after\n"u8.ToArray());
        await session.CloseInputAsync();
        var output = await new StreamReader(session.StandardOutput).ReadToEndAsync();

        Assert.Equal("before\nafter\n", output);
        Assert.Equal(2, client.KeyExchangeCount);
    }

    [Fact]
    public async Task A_user_certificate_from_a_trusted_ca_logs_in()
    {
        await using var server = StartServer();
        var ca = TestKeys.Get(SshKeyType.EcdsaP256);
        server.UserCas.Add(ca.PublicKey);
        var key = TestKeys.GetOther(SshKeyType.Ed25519);
        var certificate = new SshCertificateBuilder { PublicKey = key.PublicKey, KeyId = "alice", Principals = ["alice"] }.Sign(ca);
        var options = ClientOptions.For("alice", key, SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey), certificate);

        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, options);
        var result = await client.RunCommandAsync("whoami");

        Assert.Equal("alice\n", result.OutputText);
        Assert.All(server.AuthenticationRequests, r => Assert.Equal(certificate.Blob, r.Certificate!.Blob));
        Assert.Equal([false, true], server.AuthenticationRequests.Select(r => r.IsSignatureVerified));
    }

    [Fact]
    public async Task A_refused_key_is_an_authentication_error_naming_the_allowed_methods()
    {
        await using var server = StartServer();
        var options = Options(server);
        options.PrivateKey = TestKeys.GetOther(SshKeyType.EcdsaP256);

        var error = await Assert.ThrowsAsync<SshAuthenticationException>(() => SshClient.ConnectAsync("127.0.0.1", server.Port, options));

        Assert.Contains("refused", error.Message);
        Assert.Equal(["publickey"], error.AllowedMethods);
    }

    [Fact]
    public async Task A_wrong_host_key_is_refused_before_authentication()
    {
        await using var server = StartServer();
        var options = Options(server);
        options.HostKeyVerifier = SshHostKeyVerifiers.Pinned(TestKeys.GetOther(SshKeyType.Ed25519).PublicKey);

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync("127.0.0.1", server.Port, options));

        Assert.Equal(server.Options.HostKeys[0].PublicKey, error.HostKey.PublicKey);
        Assert.Contains("not the expected key", error.Message);
        Assert.Empty(server.AuthenticationRequests);
    }

    [Fact]
    public async Task An_unknown_command_is_a_refused_exec_request()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        var error = await Assert.ThrowsAsync<SshRequestFailedException>(() => session.ExecAsync("no-such-command"));

        Assert.Equal("exec", error.RequestType);
        Assert.Equal(0, (await client.RunCommandAsync("true")).ExitCode);
    }

    [Fact]
    public async Task A_refused_channel_type_leaves_the_connection_usable()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);

        var error = await Assert.ThrowsAsync<SshChannelOpenException>(() => client.OpenDirectTcpIpAsync("127.0.0.1", 9));

        // The test server has no forwarding handler, so forwarding is administratively prohibited.
        Assert.Equal(1u, error.ReasonCode);
        Assert.Equal("hello\n", (await client.RunCommandAsync("echo hello")).OutputText);
    }

    [Fact]
    public async Task A_keepalive_is_answered()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);

        await client.SendKeepAliveAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(client.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_server_disconnect_mid_session_fails_reads_and_the_exit_wait_with_the_reason()
    {
        var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();
        await session.ExecAsync("cat");
        await session.StandardInput.WriteAsync("ping\n"u8.ToArray());
        var buffer = new byte[5];
        await session.StandardOutput.ReadExactlyAsync(buffer);

        await server.DisposeAsync();

        var readError = await Assert.ThrowsAsync<SshConnectionException>(async () => await session.StandardOutput.ReadExactlyAsync(buffer));
        var exitError = await Assert.ThrowsAsync<SshConnectionException>(() => session.WaitForExitAsync());
        var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("shutting down", readError.Message);
        Assert.Contains("shutting down", exitError.Message);
        Assert.Equal(SshDisconnectReason.ByApplication, closed!.DisconnectReason);
        await Assert.ThrowsAsync<SshConnectionException>(() => client.OpenSessionAsync());
    }

    [Fact]
    public async Task Disconnecting_closes_the_connection_cleanly()
    {
        await using var server = StartServer();
        var client = await ConnectAsync(server);

        await client.DisconnectAsync();

        Assert.Null(await client.Closed.WaitAsync(TimeSpan.FromSeconds(20)));
        await server.Logs.WaitForAsync(e => e.Message.Contains("Closed by the client"));
        await client.DisposeAsync();
    }

    private static TestSshServer StartServer(Action<SshServerOptions>? configure = null)
    {
        var server = TestSshServer.Start(configure);
        server.AuthorizedKeys.Add(UserKey.PublicKey);
        return server;
    }

    private static SshClientOptions Options(TestSshServer server) =>
        ClientOptions.For("alice", UserKey, SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey));

    private static Task<SshClient> ConnectAsync(TestSshServer server) => SshClient.ConnectAsync("127.0.0.1", server.Port, Options(server));
}
