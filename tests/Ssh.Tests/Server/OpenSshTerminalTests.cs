using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>
/// Interactive sessions as a person has them: the real ssh with a forced tty inside a terminal made by
/// <c>script</c>, typing into it, resizing it with <c>stty</c>, reading the screen.
/// </summary>
public sealed class OpenSshTerminalTests
{
    [Fact]
    public async Task Pty_session_echoes_typing_and_reports_the_terminal_type_size_and_modes()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var terminal = StartTerminal(server, cols: 100, rows: 30);

        var at = await terminal.Process.WaitForOutputAsync("pty TERM=xterm-256color size=100x30 VINTR=3\r\n$ ");
        await terminal.Process.WriteAsync("hello wrld\x7f\x7f\x7forld\r");
        await terminal.Process.WaitForOutputAsync("you typed: hello world\r\n$ ", at);
        await terminal.Process.WriteAsync("exit 3\r");

        Assert.Equal(3, await terminal.Process.WaitForExitAsync());
        var session = Assert.Single(server.Sessions);
        Assert.Equal(1u, session.Pty!.Modes[SshTerminalMode.ICANON]);
        Assert.Contains(SshTerminalMode.OutputSpeed, session.Pty.Modes.Keys);
    }

    [Fact]
    public async Task Resizing_the_terminal_with_stty_sends_window_change_to_the_handler()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var terminal = StartTerminal(server, cols: 80, rows: 24);
        var at = await terminal.Process.WaitForOutputAsync("size=80x24");
        var tty = (await File.ReadAllTextAsync(terminal.TtyFile)).Trim();

        // The kernel sends SIGWINCH to ssh, the terminal's foreground process; ssh sends window-change.
        var stty = ProcessRun.Run("/usr/bin/stty", ["-F", tty, "cols", "132", "rows", "40"]);
        Assert.True(stty.ExitCode == 0, stty.Error);
        await Eventually.TrueAsync(() => server.Sessions.Single().WindowChanges.Contains(new SshWindowSize(132, 40, 0, 0)));
        await terminal.Process.WriteAsync("size\r");

        await terminal.Process.WaitForOutputAsync("size=132x40\r\n", at);
        await terminal.Process.WriteAsync("\x04");
        Assert.Equal(0, await terminal.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Agent_forwarding_asked_with_ssh_A_is_recorded_by_the_handler()
    {
        await using var server = TestSshServer.StartInteractive();
        var agentSocket = server.Directory.File("agent.sock");
        // ssh asks for agent forwarding only when it can reach an agent through SSH_AUTH_SOCK.
        await using var agent = InteractiveProcess.Start("/usr/bin/ssh-agent", ["-D", "-a", agentSocket]);
        await Eventually.TrueAsync(() => File.Exists(agentSocket));

        await using var ssh = InteractiveProcess.Start(
            "/usr/bin/ssh", ["-F", server.WriteClientConfig(), "-A", "127.0.0.1", "true"], new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = agentSocket });

        Assert.Equal(0, await ssh.WaitForExitAsync());
        Assert.True(Assert.Single(server.Sessions).AgentForwardingRequested);
        Assert.Contains("request 'auth-agent-req@openssh.com' accepted", server.Logs.Text);
    }

    /// <summary>ssh -tt in a new pseudo-terminal of the given size, with TERM=xterm-256color; the tty's path is written to TtyFile.</summary>
    private static Terminal StartTerminal(TestSshServer server, int cols, int rows)
    {
        var config = server.WriteClientConfig();
        var ttyFile = server.Directory.File("tty");
        var command = $"stty cols {cols} rows {rows} && tty > '{ttyFile}' && exec ssh -F '{config}' -tt 127.0.0.1";
        var process = InteractiveProcess.Start("/usr/bin/script", ["-qefc", command, "/dev/null"], new Dictionary<string, string> { ["TERM"] = "xterm-256color" });
        return new Terminal(process, ttyFile);
    }

    private sealed record Terminal(InteractiveProcess Process, string TtyFile) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
