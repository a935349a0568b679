using System.Diagnostics;
using System.Text;
using Teleport.Orleans.Agent.Tests.Support;

namespace Teleport.Orleans.Agent.Tests.Sessions;

/// <summary>Commands without a terminal, driven by the real OpenSSH client through the node's session handler.</summary>
public sealed class ExecTests
{
    [Fact]
    public async Task Exit_code_of_the_command_reaches_the_client()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync("exit 3");

        Assert.Equal(3, run.ExitCode);
    }

    [Fact]
    public async Task Stdout_and_stderr_stay_apart_without_a_terminal()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync("echo to-out; echo to-err >&2");

        Assert.Equal("to-out\n", run.Text);
        Assert.Contains("to-err", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("to-err", run.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_end_of_input_reaches_the_command()
    {
        await using var node = new NodeServer();
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef", 64 * 1024)));

        var run = await node.SshAsync("wc -c", input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Text.Trim());
    }

    [Fact]
    public async Task Command_runs_as_the_login_with_its_groups_and_home()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync("id -un; id -u; id -g; pwd");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([NodeServer.LoginName, node.User.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), node.User.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Home], run.Text.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Environment_is_built_as_sshd_builds_it_and_only_accepted_variables_pass()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync(
            "echo \"$USER|$LOGNAME|$HOME|$SHELL|$PATH|$MAIL|$LANG|${FOO:-unset}|${SSH_TTY:-unset}|$SSH_CONNECTION\"", null, null,
            "-o", "SetEnv=LANG=C.UTF-8 FOO=bar");

        var fields = run.Text.TrimEnd().Split('|');
        Assert.Equal(NodeServer.LoginName, fields[0]);
        Assert.Equal(NodeServer.LoginName, fields[1]);
        Assert.Equal(node.Home, fields[2]);
        Assert.Equal("/bin/bash", fields[3]);
        Assert.Equal(node.User.Uid == 0 ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : "/usr/local/bin:/usr/bin:/bin:/usr/games", fields[4]);
        Assert.Equal("/var/mail/" + NodeServer.LoginName, fields[5]);
        Assert.Equal("C.UTF-8", fields[6]);
        Assert.Equal("unset", fields[7]);
        Assert.Equal("unset", fields[8]);
        Assert.Matches($"^127\\.0\\.0\\.1 [0-9]+ 127\\.0\\.0\\.1 {node.Port}$", fields[9]);
    }

    [Fact]
    public async Task Observer_hears_start_exec_and_end_with_the_exit_code()
    {
        await using var node = new NodeServer();

        await node.SshAsync("exit 5");

        await Eventually.TrueAsync(() => !node.Observer.Ended.IsEmpty);
        var started = Assert.Single(node.Observer.Started);
        var exec = Assert.Single(node.Observer.Execs);
        var ended = Assert.Single(node.Observer.Ended);
        Assert.Equal("exit 5", started.Command);
        Assert.False(started.Interactive);
        Assert.Equal(started.SessionId, ended.Session.SessionId);
        Assert.True(Guid.TryParse(started.SessionId, out _));
        Assert.Equal(5, exec.Outcome.ExitCode);
        Assert.Equal(5, ended.Outcome.ExitCode);
        Assert.Null(ended.RecordingPath);
    }

    [Fact]
    public async Task Signal_request_ends_the_command_and_the_client_sees_exit_signal()
    {
        await using var node = new NodeServer();
        await using var client = await node.ConnectAsync();
        await using var session = await client.OpenSessionAsync();

        await session.ExecAsync("echo ready; exec sleep 600");
        await ReadUntilAsync(session.StandardOutput, "ready\n");
        await session.SendSignalAsync("TERM");
        var status = await session.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("TERM", status.Signal);
        Assert.Null(status.ExitCode);
        await Eventually.TrueAsync(() => node.Observer.Ended.Any(e => e.Outcome.ExitSignal == "TERM"));
    }

    [Fact]
    public async Task Closing_the_connection_ends_the_sessions_process_group()
    {
        await using var node = new NodeServer();
        int pid;
        await using (var client = await node.ConnectAsync())
        {
            var session = await client.OpenSessionAsync();
            await session.ExecAsync("sleep 600 & echo $!; wait");
            var line = await ReadUntilAsync(session.StandardOutput, "\n");
            pid = int.Parse(line.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Directory.Exists($"/proc/{pid}"));
        }

        // The background sleep is in the session's process group: it must not outlive the connection.
        await Eventually.TrueAsync(() => !IsRunning(pid));
    }

    [Fact]
    public async Task Sessions_and_System_Diagnostics_Process_children_each_get_their_own_exit_codes()
    {
        await using var node = new NodeServer();
        using var stop = new CancellationTokenSource();
        var processCodes = new List<int>();
        var processes = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested || i < 5; i++)
            {
                using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"exit {i % 7}"]))!;
                await process.WaitForExitAsync();
                lock (processCodes)
                {
                    processCodes.Add(process.ExitCode * 1000 + (i % 7));
                }
            }
        });
        await using var client = await node.ConnectAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i => (i, (await client.RunCommandAsync($"sleep 0.$((RANDOM % 3)); exit {i}")).ExitStatus.ExitCode)));
        await stop.CancelAsync();
        await processes;

        Assert.All(results, r => Assert.Equal(r.i, r.ExitCode));
        Assert.All(processCodes, c => Assert.Equal(c / 1000, c % 1000));
    }

    internal static bool IsRunning(int pid)
    {
        // A zombie is gone as far as the session is concerned; only its parent's wait is missing. The process may be
        // reaped between any two looks at /proc, so a file that vanished while being read means gone too.
        try
        {
            return !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            return false;
        }
    }

    internal static async Task<string> ReadUntilAsync(Stream stream, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "The stream ended before \"" + marker + "\"; got: " + text);
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
