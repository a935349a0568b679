using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Sessions on the real OpenSSH sshd: exec, stdin, stdout and stderr, large transfers, signals, env, subsystem, pty and shell.</summary>
public sealed class OpenSshSessionTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    private OpenSshServer Sshd => fixture.Server;

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
    public async Task Concurrent_sessions_on_one_connection_each_get_their_own_data_back()
    {
        await using var client = await ConnectAsync();
        var inputs = Enumerable.Range(0, 8).Select(i => TestSessionHandler.Pattern(1_000_000 + i)).ToArray();

        var results = await Task.WhenAll(inputs.Select(input => client.RunCommandAsync("cat", input)));

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(inputs[i].AsSpan().SequenceEqual(results[i].Output), $"Session {i} got other data back.");
        }
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

        await session.RequestPtyAsync("dumb", new SshWindowSize(100, 30, 0, 0), new Dictionary<SshTerminalMode, uint> { [SshTerminalMode.ECHO] = 0 });
        await session.StartShellAsync();
        await session.ChangeWindowSizeAsync(new SshWindowSize(120, 40, 0, 0));
        await session.StandardInput.WriteAsync("echo TERM=$TERM; stty size; exit 7\n"u8.ToArray());
        var output = await new StreamReader(session.StandardOutput).ReadToEndAsync();

        Assert.Contains("TERM=dumb", output);
        Assert.Contains("40 120", output);
        Assert.DoesNotContain("stty size", output); // the pty did not echo what was typed
        Assert.Equal(7, (await session.WaitForExitAsync()).ExitCode);
    }

    private SshHostKeyVerifier HostVerifier() => SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]);

    private static SshClientOptions Options(SshPrivateKey key, SshHostKeyVerifier verifier, SshCertificate? certificate = null) =>
        ClientOptions.For(OpenSshServer.UserName, key, verifier, certificate);

    private Task<SshClient> ConnectAsync()
    {
        Sshd.Authorize(UserKey.PublicKey);
        return SshClient.ConnectAsync("127.0.0.1", Sshd.Port, Options(UserKey, HostVerifier()));
    }
}
