using System.Text;
using Teleport.Orleans.Agent.Tests.Support;
using Teleport.Orleans.Ssh.Connection;
using static Teleport.Orleans.Agent.Tests.Sessions.ExecTests;

namespace Teleport.Orleans.Agent.Tests.Sessions;

/// <summary>Sessions on a pseudo-terminal: the terminal itself, its size, its owner, and what the child inherits.</summary>
public sealed class TerminalTests
{
    [Fact]
    public async Task Command_with_a_forced_terminal_runs_on_a_pts_and_sees_TERM_and_SSH_TTY()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync("tty; echo \"$TERM|$SSH_TTY\"", null, new Dictionary<string, string> { ["TERM"] = "xterm-test" }, "-tt");

        var lines = run.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^/dev/pts/[0-9]+$", lines[0]);
        Assert.Equal("xterm-test|" + lines[0], lines[1]);
    }

    [RootFact]
    public async Task Terminal_belongs_to_the_login_with_group_tty_and_mode_620()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync("stat -c '%U %G %a' \"$(tty)\"", null, null, "-tt");

        Assert.Equal($"{NodeServer.LoginName} tty 620", run.Text.Trim());
    }

    [Fact]
    public async Task Child_leads_its_session_owns_the_terminal_and_has_default_signal_dispositions()
    {
        await using var node = new NodeServer();

        // bash -c execs a lone command, so cat is the process the node spawned (through setpriv when root).
        var run = await node.SshAsync("cat /proc/self/stat /proc/self/status", null, null, "-tt");

        var stat = run.Text.Split("\r\n")[0];
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var pid = stat[..stat.IndexOf(' ', StringComparison.Ordinal)];
        Assert.Equal(pid, fields[2]); // process group
        Assert.Equal(pid, fields[3]); // session
        Assert.NotEqual("0", fields[4]); // controlling terminal
        Assert.Equal(pid, fields[5]); // terminal's foreground process group
        Assert.True(run.Text.Contains("SigIgn:\t0000000000000000", StringComparison.Ordinal), run.ToString());
        Assert.Contains("SigBlk:\t0000000000000000", run.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Window_change_resizes_the_terminal()
    {
        await using var node = new NodeServer();
        await using var client = await node.ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        await session.RequestPtyAsync("xterm", new SshWindowSize(80, 24, 0, 0), new Dictionary<SshTerminalMode, uint>());
        await session.StartShellAsync();
        await session.StandardInput.WriteAsync("stty size; echo mark-$((40+2))\r"u8.ToArray());
        var before = await ReadUntilAsync(session.StandardOutput, "mark-42");
        await session.ChangeWindowSizeAsync(new SshWindowSize(132, 43, 0, 0));
        await session.StandardInput.WriteAsync("stty size; echo mark-$((40+3))\r"u8.ToArray());
        var after = await ReadUntilAsync(session.StandardOutput, "mark-43");
        await session.StandardInput.WriteAsync("exit 6\r"u8.ToArray());
        var status = await session.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("24 80\r\n", before, StringComparison.Ordinal);
        Assert.Contains("43 132\r\n", after, StringComparison.Ordinal);
        Assert.Equal(6, status.ExitCode);
    }

    [Fact]
    public async Task Terminal_modes_from_pty_req_are_applied()
    {
        await using var node = new NodeServer();
        await using var client = await node.ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        await session.RequestPtyAsync("xterm", new SshWindowSize(80, 24, 0, 0), new Dictionary<SshTerminalMode, uint>
        {
            [SshTerminalMode.VINTR] = 5,
            [SshTerminalMode.ECHO] = 0,
            [SshTerminalMode.ONLCR] = 0,
            [SshTerminalMode.OutputSpeed] = 9600,
        });
        await session.ExecAsync("stty -a");
        var output = new MemoryStream();
        await session.StandardOutput.CopyToAsync(output);
        var text = Encoding.UTF8.GetString(output.ToArray());

        Assert.Contains("intr = ^E", text, StringComparison.Ordinal);
        Assert.Contains("-echo ", text, StringComparison.Ordinal);
        Assert.Contains("-onlcr", text, StringComparison.Ordinal);
        Assert.Contains("speed 9600 baud", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_is_refused_when_the_certificate_does_not_permit_it()
    {
        await using var node = new NodeServer(login => login with { PtyAllowed = false });

        // With -tt a refused terminal is fatal for OpenSSH: nothing runs.
        var run = await node.SshAsync("tty", null, null, "-tt");

        Assert.Contains("PTY allocation request failed", run.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain(node.Observer.Started, s => s.Interactive);
    }

    [Fact]
    public async Task Interactive_login_shell_has_a_dash_argv0_and_reads_what_is_typed()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync(null, Encoding.ASCII.GetBytes("echo \"argv0=$0\"\nexit 9\n"), null, "-tt");

        Assert.Contains("argv0=-bash", run.Text, StringComparison.Ordinal);
        Assert.Equal(9, run.ExitCode);
    }
}
