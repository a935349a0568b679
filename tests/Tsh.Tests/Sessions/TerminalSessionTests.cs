using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.Sessions;

/// <summary>
/// tsh ssh in a real terminal (tmux) against the stand-in proxy and its OpenSSH node, typed into as a person would:
/// raw mode while the session runs and the settings back afterwards, keys such as Ctrl-C reaching the remote side,
/// window size changes, escape sequences and the exit status. The pane's command prints tsh's exit status and the
/// terminal's settings after tsh ends.
/// </summary>
public sealed class TerminalSessionTests(StandInProxyFixture fixture) : IClassFixture<StandInProxyFixture>
{
    /// <summary>What the pane prints when the terminal's settings after tsh are those from before it (stty -g).</summary>
    private const string SettingsRestored = "settings-restored";

    /// <summary>What the pane prints last, after <c>stty -a</c>: a test that reads the settings waits for it.</summary>
    private const string PaneDone = "pane-done";

    private static string Login => Environment.UserName;

    [Fact]
    public async Task A_typed_line_is_echoed_once_by_the_remote_side()
    {
        await using var terminal = await StartAsync();

        await terminal.TypeLineAsync("echo typed-$((20+22))-once");
        var screen = await terminal.WaitForAsync("typed-42-once");

        Assert.True(Occurrences(screen, "echo typed-$((20+22))-once") == 1, screen);
    }

    [Fact]
    public async Task The_local_terminal_is_raw_during_the_session_and_restored_after_it()
    {
        await using var terminal = await StartAsync();

        var during = await terminal.TerminalSettingsAsync();
        await terminal.TypeLineAsync("exit");
        var screen = await terminal.WaitForAsync(PaneDone);

        Assert.Contains("tsh-exit=0", screen);
        Assert.Superset(new HashSet<string> { "-isig", "-icanon", "-echo", "-opost", "-iexten", "-icrnl", "-ixon" }, during);
        var after = screen[screen.IndexOf("tsh-exit=0", StringComparison.Ordinal)..]
            .Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string> { "isig", "icanon", "echo", "opost", "icrnl" }, after);
        Assert.Contains(SettingsRestored, screen);
    }

    [Fact]
    public async Task Ctrl_c_interrupts_the_remote_command_and_the_remote_shell_goes_on()
    {
        await using var terminal = await StartAsync();

        await terminal.TypeLineAsync("echo sleeping-$((2+2)); sleep 30");
        await terminal.WaitForAsync("sleeping-4");
        await terminal.PressAsync("C-c");
        await terminal.TypeLineAsync("echo next-$((3+3))");
        var screen = await terminal.WaitForAsync("next-6");

        Assert.DoesNotContain("tsh-exit=", screen);
        Assert.DoesNotContain("ERROR", screen);
    }

    [Fact]
    public async Task The_remote_terminal_has_the_local_size_and_follows_a_resize()
    {
        await using var terminal = await StartAsync();

        await terminal.TypeLineAsync("stty size");
        await terminal.WaitForAsync("30 100");
        // The remote side waits for the new size itself: the window-change request races with typed input.
        await terminal.TypeLineAsync("until [ \"$(stty size)\" = '40 120' ]; do sleep 0.1; done; echo resized-$((1+1))");
        await terminal.ResizeAsync(120, 40);
        await terminal.WaitForAsync("resized-2");
    }

    [Fact]
    public async Task Tilde_dot_after_a_newline_disconnects()
    {
        await using var terminal = await StartAsync();
        await terminal.PressAsync("Enter");
        await terminal.TypeAsync("~.");
        var screen = await terminal.WaitForAsync("tsh-exit=255");

        Assert.Contains("Connection to localhost closed.", screen);
    }

    [Fact]
    public async Task Tilde_question_mark_lists_the_escapes_and_the_session_goes_on()
    {
        await using var terminal = await StartAsync();
        await terminal.TypeAsync("~?");
        await terminal.WaitForAsync("Supported escape sequences:");
        await terminal.TypeLineAsync("echo still-$((4+4))");

        await terminal.WaitForAsync("still-8");
    }

    [Fact]
    public async Task With_escapes_off_tilde_dot_reaches_the_remote_shell()
    {
        await using var terminal = await StartAsync("-e none");
        await terminal.TypeLineAsync("~.");
        await terminal.WaitForAsync("~.: command not found");
        await terminal.TypeLineAsync("exit 3");

        await terminal.WaitForAsync("tsh-exit=3");
    }

    [Fact]
    public async Task The_remote_exit_status_is_tshs_exit_status()
    {
        await using var terminal = await StartAsync();
        await terminal.TypeLineAsync("exit 7");
        var screen = await terminal.WaitForAsync("tsh-exit=7");

        Assert.Contains("Connection to localhost closed.", screen);
    }

    [Fact]
    public async Task A_remote_command_killed_by_a_signal_exits_with_128_plus_its_number()
    {
        await using var terminal = await StartAsync("-t", "kill -TERM \\$\\$");

        var screen = await terminal.WaitForAsync("tsh-exit=143");

        Assert.Contains("Remote command terminated by signal TERM.", screen);
    }

    [Fact]
    public async Task Sigterm_to_tsh_restores_the_terminal_and_exits_quietly()
    {
        await using var terminal = await StartAsync();
        await terminal.SignalCommandAsync("TERM");
        var screen = await terminal.WaitForAsync(PaneDone);

        Assert.Contains("tsh-exit=255", screen);
        Assert.DoesNotContain("Exception", screen);
        var after = screen[screen.IndexOf("tsh-exit=", StringComparison.Ordinal)..].Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("icanon", after);
        Assert.Contains("isig", after);
        Assert.Contains(SettingsRestored, screen);
    }

    [Fact]
    public async Task Ctrl_c_without_a_remote_terminal_ends_tsh_quietly_with_the_terminal_as_it_was()
    {
        await using var terminal = await StartAsync(remoteCommand: "'echo started-$((1+2)); sleep 30'");
        await terminal.WaitForAsync("started-3");

        await terminal.PressAsync("C-c");
        var screen = await terminal.WaitForAsync(PaneDone);

        Assert.Contains("tsh-exit=255", screen);
        Assert.DoesNotContain("ERROR", screen);
        Assert.DoesNotContain("Exception", screen);
        Assert.Contains(SettingsRestored, screen);
    }

    [Fact]
    public async Task Tilde_ctrl_z_suspends_tsh_to_the_local_shell_and_fg_resumes_the_session_in_raw_mode()
    {
        // A local shell with job control runs tsh, as in a person's terminal.
        await using var terminal = await TmuxTerminal.StartAsync("PS1='local$ ' bash --norc --noprofile", fixture.Home.Path);
        await terminal.WaitForAsync("local$");
        await terminal.TypeLineAsync($"{ExternalProcess.TshCommand} ssh {Login}@localhost");
        await terminal.WaitUntilAsync(IsPrompting, "the remote shell's prompt");
        await terminal.WaitForRawModeAsync();

        await terminal.PressAsync("Enter");
        await terminal.TypeAsync("~");
        await terminal.PressAsync("C-z");
        await terminal.WaitForAsync("[suspend tsh]");
        var suspended = await terminal.WaitUntilAsync(screen => screen.TrimEnd().EndsWith("local$", StringComparison.Ordinal), "the local prompt");
        var whileSuspended = await terminal.TerminalSettingsAsync();
        await terminal.TypeLineAsync("fg");
        await terminal.TypeLineAsync("echo back-$((2*3))");
        await terminal.WaitForAsync("back-6");
        var resumed = await terminal.TerminalSettingsAsync();

        Assert.Contains("Stopped", suspended);
        Assert.Superset(new HashSet<string> { "-isig", "-icanon", "-echo", "-opost" }, resumed);
        Assert.DoesNotContain("-isig", whileSuspended);
    }

    /// <summary>tsh ssh in a new terminal; with no remote command, once the remote shell prompts (keys typed earlier would be type-ahead).</summary>
    private async Task<TmuxTerminal> StartAsync(string options = "", string remoteCommand = "")
    {
        var terminal = await TmuxTerminal.StartAsync(
            // The pane's shell outlives a Ctrl-C that reaches tsh (a trap, unlike an ignored signal, is not inherited).
            $"trap true INT; before=$(stty -g); {ExternalProcess.TshCommand} ssh {options} {Login}@localhost {remoteCommand}; echo tsh-exit=$?; " +
            $"[ \"$(stty -g)\" = \"$before\" ] && echo {SettingsRestored}; stty -a; echo {PaneDone}",
            fixture.Home.Path);
        if (remoteCommand.Length == 0)
        {
            await terminal.WaitUntilAsync(IsPrompting, "the remote shell's prompt");
            await terminal.WaitForRawModeAsync();
        }

        return terminal;
    }

    private static bool IsPrompting(string screen)
    {
        var last = screen.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.TrimEnd() ?? "";
        return last.EndsWith('#') || last.EndsWith('$');
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
