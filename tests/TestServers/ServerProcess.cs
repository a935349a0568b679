using System.Diagnostics;
using System.Text;

namespace Teleport.Orleans.TestServers;

/// <summary>
/// A database server the tests start: its output is kept for failure messages, and it is stopped by process id
/// (a signal, then a kill if it does not exit), never by name.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Runs a command to completion and throws with its output when it fails.</summary>
    public static async Task RunAsync(string fileName, params string[] arguments)
    {
        using var command = Start(fileName, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await command._process.WaitForExitAsync(timeout.Token);
        if (command._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {command._process.ExitCode}:\n{command.Output}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/> (the server itself, when a wrapper started it) and waits for the exit.</summary>
    public async Task StopAsync(int pid, int signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        Native.Signal(pid, signal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public void Dispose() => _process.Dispose();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
