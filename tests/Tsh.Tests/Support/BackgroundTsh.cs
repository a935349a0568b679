using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>The tsh binary left running (tsh ssh -N), its stderr collected, signalled and stopped by its process id.</summary>
internal sealed class BackgroundTsh : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly Task<string> _output;

    public BackgroundTsh(string tshHome, params string[] arguments)
    {
        var start = new ProcessStartInfo("sh", ["-c", $"exec {ExternalProcess.TshCommand} \"$@\"", "tsh", .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TSH_HOME"] = tshHome;
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_error)
            {
                _error.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _output = _process.StandardOutput.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Sends SIGTERM and waits for the exit, as a service manager stopping tsh would.</summary>
    public async Task<TshResult> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return new TshResult(_process.ExitCode, await _output, Error);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
