using System.Diagnostics;
using System.Globalization;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// One command in a real terminal: a tmux server on a private socket with one detached window, typed into with
/// send-keys and read with capture-pane. The pane stays after the command exits so its last output stays readable.
/// The server is stopped by its process id on dispose.
/// </summary>
internal sealed class TmuxPane : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(45);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tmux-");
    private readonly string _socket = $"join-tests-{Guid.NewGuid():N}";
    private readonly string _tshHome;
    private int _serverPid;

    private TmuxPane(string tshHome)
    {
        _tshHome = tshHome;
    }

    /// <summary>Starts <paramref name="command"/> (run by sh) in a 100x30 terminal with TSH_HOME=<paramref name="tshHome"/>.</summary>
    public static async Task<TmuxPane> StartAsync(string command, DirectoryInfo tshHome)
    {
        var pane = new TmuxPane(tshHome.FullName);
        try
        {
            var config = Path.Combine(pane._directory.FullName, "tmux.conf");
            await File.WriteAllTextAsync(config, "set -g remain-on-exit on\nset -g history-limit 10000\n");
            var started = await pane.TmuxAsync("-f", config, "new-session", "-d", "-P", "-F", "#{pid}", "-s", "main", "-x", "100", "-y", "30", command);
            pane._serverPid = int.Parse(started.Trim(), CultureInfo.InvariantCulture);
            return pane;
        }
        catch
        {
            await pane.DisposeAsync();
            throw;
        }
    }

    public Task TypeAsync(string text) => TmuxAsync("send-keys", "-t", "main", "-l", text);

    public Task PressAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", "main", .. keys]);

    public async Task TypeLineAsync(string text)
    {
        await TypeAsync(text);
        await PressAsync("Enter");
    }

    /// <summary>The screen and its scrollback, wrapped lines joined.</summary>
    public Task<string> ScreenAsync() => TmuxAsync("capture-pane", "-p", "-J", "-t", "main", "-S", "-10000");

    /// <summary>Waits until the screen shows <paramref name="text"/> (polling); returns the screen.</summary>
    public Task<string> WaitForAsync(string text) => WaitUntilAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"'{text}'");

    /// <summary>Waits until <paramref name="condition"/> holds for the screen (polling); returns the screen.</summary>
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

        _directory.Delete(recursive: true);
    }

    private async Task<string> TmuxAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-L", _socket, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TSH_HOME"] = _tshHome;
        start.Environment["TMUX_TMPDIR"] = _directory.FullName;
        start.Environment["TERM"] = "xterm";
        start.Environment.Remove("TMUX");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
    }
}
