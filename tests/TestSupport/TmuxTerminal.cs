using System.Diagnostics;
using System.Globalization;

namespace Teleport.Orleans.TestSupport;

/// <summary>
/// A real terminal for tsh: a tmux server on a private socket running one command in a detached window of a given
/// size, typed into with send-keys and read with capture-pane, as a person at a terminal would. The pane stays after
/// the command exits so its last output stays readable. The server is stopped by its process id on dispose.
/// </summary>
public sealed class TmuxTerminal : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _directory = new();
    private readonly string _socket = $"tests-{Guid.NewGuid():N}";
    private readonly string _home;
    private int _serverPid;
    private int _panePid;

    private TmuxTerminal(string home)
    {
        _home = home;
    }

    /// <summary>The pane's terminal device (/dev/pts/N): what tsh has as its terminal.</summary>
    public string Tty { get; private set; } = "";

    /// <summary>Starts <paramref name="command"/> (run by sh) in a <paramref name="columns"/>x<paramref name="rows"/> terminal, TSH_HOME set to <paramref name="tshHome"/>.</summary>
    public static async Task<TmuxTerminal> StartAsync(string command, string tshHome, int columns = 100, int rows = 30)
    {
        var terminal = new TmuxTerminal(tshHome);
        try
        {
            var config = terminal._directory.Write("tmux.conf", "set -g remain-on-exit on\nset -g history-limit 10000\n");
            var started = await terminal.TmuxAsync(
                "-f", config, "new-session", "-d", "-P", "-F", "#{pid} #{pane_tty} #{pane_pid}", "-s", "main",
                "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture), command);
            var fields = started.Trim().Split(' ');
            terminal._serverPid = int.Parse(fields[0], CultureInfo.InvariantCulture);
            terminal.Tty = fields[1];
            terminal._panePid = int.Parse(fields[2], CultureInfo.InvariantCulture);
            return terminal;
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }
    }

    /// <summary>Types <paramref name="text"/> literally.</summary>
    public Task TypeAsync(string text) => TmuxAsync("send-keys", "-t", "main", "-l", text);

    /// <summary>Presses keys by tmux name: Enter, C-c, C-z...</summary>
    public Task PressAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", "main", .. keys]);

    /// <summary>Types a line and presses Enter.</summary>
    public async Task TypeLineAsync(string text)
    {
        await TypeAsync(text);
        await PressAsync("Enter");
    }

    public Task ResizeAsync(int columns, int rows) =>
        TmuxAsync("resize-window", "-t", "main", "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture));

    /// <summary>The screen and its scrollback, wrapped lines joined.</summary>
    public Task<string> ScreenAsync() => TmuxAsync("capture-pane", "-p", "-J", "-t", "main", "-S", "-10000");

    /// <summary>Waits until the screen shows <paramref name="text"/>; returns the screen.</summary>
    public Task<string> WaitForAsync(string text) => WaitUntilAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"'{text}'");

    /// <summary>Waits until <paramref name="condition"/> holds for the screen (polling capture-pane); returns the screen.</summary>
    public async Task<string> WaitUntilAsync(Func<string, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = await ScreenAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (deadline.Elapsed > WaitLimit)
            {
                throw new TimeoutException($"The terminal did not show {what} within {WaitLimit.TotalSeconds} s. Screen:\n{screen}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits until the pane's terminal is in raw mode (no ISIG): keys typed before tsh has switched are handled by the
    /// local line discipline, as they would be for OpenSSH, so a test that types control keys waits for the switch.
    /// </summary>
    public async Task WaitForRawModeAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (!(await TerminalSettingsAsync()).Contains("-isig"))
        {
            if (deadline.Elapsed > WaitLimit)
            {
                throw new TimeoutException($"The terminal was not put in raw mode within {WaitLimit.TotalSeconds} s.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The settings of tsh's terminal as stty -a reports them, split into words ("-isig", "icanon"...).</summary>
    public async Task<HashSet<string>> TerminalSettingsAsync()
    {
        var output = await RunAsync("stty", ["-a", "-F", Tty]);
        return output.Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. TERM) to the processes the pane's shell started (tsh).</summary>
    public async Task SignalCommandAsync(string signal)
    {
        foreach (var pid in ChildrenOf(_panePid))
        {
            await RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_serverPid > 0)
        {
            try
            {
                using var server = Process.GetProcessById(_serverPid);
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // The server has already exited.
            }
        }

        _directory.Dispose();
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": the command name may hold spaces, so fields count from its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    private Task<string> TmuxAsync(params string[] arguments) => RunAsync("tmux", ["-L", _socket, .. arguments]);

    private async Task<string> RunAsync(string executable, string[] arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TSH_HOME"] = _home;
        start.Environment["TMUX_TMPDIR"] = _directory.Path;
        start.Environment["TERM"] = "xterm";
        start.Environment.Remove("TMUX");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
    }
}
