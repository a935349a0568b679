using System.Diagnostics;
using System.Text;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>
/// One real <c>teleport start --config</c> process: ready when it prints <c>readyMarker</c>, or finished when it exits
/// first (a refused join). Stopped by its process id.
/// </summary>
internal sealed class TeleportProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private bool _disposed;

    private TeleportProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <summary>Starts the process and waits until it prints <paramref name="readyMarker"/> or exits.</summary>
    public static Task<TeleportProcess> StartAsync(string configPath, string readyMarker, IReadOnlyDictionary<string, string>? environment = null) =>
        StartWithArgumentsAsync(["--config", configPath], readyMarker, environment);

    /// <summary>Starts <c>teleport start ARGS</c> and waits until it prints <paramref name="readyMarker"/> or exits.</summary>
    public static async Task<TeleportProcess> StartWithArgumentsAsync(IReadOnlyList<string> startArguments, string readyMarker, IReadOnlyDictionary<string, string>? environment = null)
    {
        var orleans = FreePorts.Take(2);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["TELEPORT_SILO_PORT"] = orleans[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["TELEPORT_GATEWAY_PORT"] = orleans[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        foreach (var arg in new[] { Repository.TeleportDll, "start" }.Concat(startArguments))
        {
            start.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new TeleportProcess(process);
        process.OutputDataReceived += (_, e) => result.Capture(e.Data, readyMarker, ready);
        process.ErrorDataReceived += (_, e) => result.Capture(e.Data, readyMarker, ready);
        process.Exited += (_, _) => ready.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        if (process.HasExited)
        {
            // Let the output readers drain what the process wrote before it exited.
            await process.WaitForExitAsync();
        }

        return result;
    }

    /// <summary>Waits until the process has printed <paramref name="text"/>.</summary>
    public Task WaitForOutput(string text, TimeSpan? timeout = null) =>
        Eventually.Until(() => Output.Contains(text, StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(30), $"output containing \"{text}\"");

    /// <summary>SIGKILL: nothing is flushed or deregistered, as when a host dies.</summary>
    public async Task KillAsync()
    {
        if (!_disposed && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _disposed = true;
        _process.Dispose();
    }

    private void Capture(string? line, string readyMarker, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains(readyMarker, StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }
}
