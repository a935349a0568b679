using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Agent.Presence;

/// <summary>
/// Runs the node's command labels on their periods (without a shell, with a timeout) and keeps the latest result of
/// each. A command that fails or times out yields Teleport's "&lt;nil&gt;"-style error text rather than stopping the node.
/// </summary>
internal sealed partial class CommandLabelRunner(IReadOnlyList<CommandLabel> labels, ILogger<CommandLabelRunner> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, string> _results = new(StringComparer.Ordinal);

    public IReadOnlyList<CommandLabel> Labels => labels;

    public string Result(string name) => _results.GetValueOrDefault(name, "");

    /// <summary>Runs every command once now, so the first heartbeat carries results.</summary>
    public Task RunAllOnceAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(labels.Select(l => RunOnceAsync(l, cancellationToken)));

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(labels.Select(l => LoopAsync(l, cancellationToken)));

    private async Task LoopAsync(CommandLabel label, CancellationToken cancellationToken)
    {
        var period = label.Period > TimeSpan.Zero ? label.Period : TimeSpan.FromMinutes(1);
        try
        {
            while (true)
            {
                await Task.Delay(period, cancellationToken);
                await RunOnceAsync(label, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunOnceAsync(CommandLabel label, CancellationToken cancellationToken)
    {
        if (label.Command.Count == 0)
        {
            return;
        }

        var start = new ProcessStartInfo(label.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in label.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                _results[label.Name] = (await output).Trim();
                _ = await errors;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                _results[label.Name] = "timeout";
                LogFailed(label.Name, "timed out");
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            _results[label.Name] = "error";
            LogFailed(label.Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command label {Name} failed: {Reason}")]
    private partial void LogFailed(string name, string reason);
}
