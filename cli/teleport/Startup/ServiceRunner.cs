using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Runs the process <see cref="ProcessComposition"/> composes until it is told to stop.</summary>
internal static class ServiceRunner
{
    public static async Task<int> RunAsync(TeleportConfig config, string? configPath, bool insecure, CancellationToken cancellationToken)
    {
        ProcessComposition? process = null;
        try
        {
            process = ProcessComposition.Compose(config, configPath, insecure);
            WritePidFile(config.Teleport.PidFile);
            await StartAsync(process, cancellationToken);
            await process.Host.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Told to stop while starting: what did start stops in order.
            await StopAsync(process);
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await StopAsync(process);
            return await StartupFailure.ReportAsync(ex, process?.Services ?? "teleport", Console.Error);
        }
        finally
        {
            if (process?.Host is IAsyncDisposable host)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>Starts every service and announces them; a bounded start that runs out throws its own explanation.</summary>
    private static async Task StartAsync(ProcessComposition process, CancellationToken cancellationToken)
    {
        using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (process.StartLimit is { } limit)
        {
            // An Orleans client refused at TLS retries until cancelled and never fails its start: bound it.
            startLimit.CancelAfter(limit);
        }

        try
        {
            await process.Host.StartAsync(startLimit.Token);
            await process.AnnounceAsync(Console.Out, startLimit.Token);
        }
        catch (OperationCanceledException) when (startLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw process.StartLimitExceeded!();
        }
    }

    private static async Task StopAsync(ProcessComposition? process)
    {
        if (process is not null)
        {
            await process.Host.StopAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static void WritePidFile(string? path)
    {
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, Environment.ProcessId + "\n");
        }
    }
}
