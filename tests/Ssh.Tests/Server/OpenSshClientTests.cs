using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>The real OpenSSH 9.2 client against our server: exec, streams, exit codes, transfers.</summary>
public sealed class OpenSshClientTests
{
    [Fact]
    public async Task Ssh_true_succeeds_with_curve25519_ed25519_and_aes256_gcm()
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("true", null, "-o", "KexAlgorithms=curve25519-sha256", "-o", "HostKeyAlgorithms=ssh-ed25519", "-c", "aes256-gcm@openssh.com");

        Assert.True(run.ExitCode == 0, run + "\n" + server.Logs.Text);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(254)]
    public async Task Exit_code_of_the_command_comes_back_to_ssh(int code)
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync($"exit {code}");

        Assert.True(run.ExitCode == code, run + "\n" + server.Logs.Text);
    }

    [Fact]
    public async Task Stdin_is_piped_through_cat()
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("cat", Encoding.UTF8.GetBytes("hello\n"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello\n", run.Text);
    }

    [Fact]
    public async Task Stdout_and_stderr_arrive_separately()
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("split");

        Assert.Equal(5, run.ExitCode);
        Assert.Equal("to stdout\n", run.Text);
        Assert.Equal("to stderr\n", run.Error);
    }

    [Fact]
    public async Task Handler_sees_the_user_name_and_environment_sent_with_setenv()
    {
        await using var server = TestSshServer.Start();

        var who = await server.SshAsync("whoami");
        var env = await server.SshAsync("printenv GREETING", null, "-o", "SetEnv=GREETING=\"hi there\"");

        Assert.Equal("alice\n", who.Text);
        Assert.True(env.ExitCode == 0, env.ToString());
        Assert.Equal("hi there\n", env.Text);
    }

    [Fact]
    public async Task Unknown_command_is_refused_and_ssh_reports_the_failed_exec()
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("no-such-command");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("exec request failed", run.Error);
    }

    [Fact]
    public async Task Twenty_megabytes_through_cat_arrive_byte_exact()
    {
        await using var server = TestSshServer.Start();
        var data = TestSessionHandler.Pattern(20 * 1024 * 1024);

        var run = await server.SshAsync("cat", data);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal(data.Length, run.Output.Length);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(run.Output));
    }

    [Fact]
    public async Task Output_larger_than_the_client_window_is_not_truncated()
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("generate 9000000");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(SHA256.HashData(Generated(9_000_000)), SHA256.HashData(run.Output));
    }

    [Fact]
    public async Task Client_initiated_rekeys_keep_a_transfer_intact()
    {
        await using var server = TestSshServer.Start();
        var data = TestSessionHandler.Pattern(6 * 1024 * 1024);

        var run = await server.SshAsync("cat", data, "-o", "RekeyLimit=1M");

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(run.Output));
        Assert.Contains("Key exchange 4:", server.Logs.Text);
    }

    [Fact]
    public async Task Server_initiated_rekeys_keep_a_transfer_intact()
    {
        await using var server = TestSshServer.Start(o => o.RekeyBytes = 1024 * 1024);
        var data = TestSessionHandler.Pattern(6 * 1024 * 1024);

        var run = await server.SshAsync("cat", data);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(run.Output));
        Assert.Contains("Starting a key re-exchange", server.Logs.Text);
        Assert.Contains("Key exchange 4:", server.Logs.Text);
    }

    [Fact]
    public async Task Pty_request_is_refused_explicitly_rather_than_left_unanswered()
    {
        await using var server = TestSshServer.Start();

        // A forced tty that cannot be had is fatal to OpenSSH; silence would hang it instead.
        var run = await server.SshAsync("echo hi", null, "-tt");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("PTY allocation request failed", run.Error);
        Assert.Contains("request 'pty-req' refused", server.Logs.Text);
    }

    [Fact]
    public async Task Direct_tcpip_channel_is_refused_explicitly()
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("true", null, "-W", "127.0.0.1:9");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("open failed", run.Error);
        Assert.Contains("direct-tcpip", server.Logs.Text);
    }

    [Fact]
    public async Task Keepalive_requests_are_answered_so_the_client_stays_connected()
    {
        await using var server = TestSshServer.Start();
        var release = new TaskCompletionSource();

        var running = server.SshAsync("cat", null, release.Task, "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=1");
        // With no answer, the client would give up at the second keepalive.
        await server.Logs.WaitForAsync(e => e.Message.Contains("keepalive@openssh.com") && server.Logs.Entries.Count(x => x.Message.Contains("keepalive@openssh.com")) >= 3);
        release.SetResult();

        var run = await running;
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Program_that_throws_ends_only_its_own_session()
    {
        await using var server = TestSshServer.Start();

        var crashed = await server.SshAsync("crash");
        var next = await server.SshAsync("exit 4");

        Assert.Equal(255, crashed.ExitCode);
        Assert.Contains("program failed", server.Logs.Text);
        Assert.Equal(4, next.ExitCode);
    }

    [Fact]
    public async Task Server_rekeys_after_the_rekey_interval()
    {
        var clock = new ManualTimestampProvider();
        await using var server = TestSshServer.Start(o => o.TimeProvider = clock);
        var release = new TaskCompletionSource();
        var running = server.SshAsync("cat", null, release.Task);
        await server.Logs.WaitForAsync(e => e.Message.Contains("request 'exec' accepted"));

        clock.Advance(TimeSpan.FromHours(1));
        release.SetResult();

        var run = await running;
        Assert.True(run.ExitCode == 0, run + "\n" + server.Logs.Text);
        Assert.Contains("Key exchange 2:", server.Logs.Text);
    }

    private static byte[] Generated(int length)
    {
        var block = TestSessionHandler.Pattern(64 * 1024);
        var result = new byte[length];
        for (var offset = 0; offset < length; offset += block.Length)
        {
            block.AsSpan(0, Math.Min(block.Length, length - offset)).CopyTo(result.AsSpan(offset));
        }

        return result;
    }
}
