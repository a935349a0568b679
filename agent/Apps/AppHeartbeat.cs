using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Agent.Apps;

/// <summary>
/// The app service (app_service): announces its apps every heartbeat interval so the proxies serve them, with a short
/// retry while the auth service is away. How an announcement reaches the registry is the host's: the all-in-one
/// process writes to its own grains.
/// </summary>
public sealed partial class AppHeartbeat(
    IReadOnlyList<App> apps, Func<App[], CancellationToken, Task> announce, TimeSpan interval, ILogger<AppHeartbeat> logger) : BackgroundService
{
    private readonly TaskCompletionSource _announced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<App> Apps => apps;

    /// <summary>Completes after the first announcement the registry accepted.</summary>
    public Task Announced => _announced.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = interval;
            try
            {
                await announce([.. apps], stoppingToken);
                if (failing || !_announced.Task.IsCompleted)
                {
                    LogAnnounced(logger, apps.Count);
                }

                failing = false;
                _announced.TrySetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (!failing)
                {
                    LogFailed(logger, ex.Message);
                }

                failing = true;
                delay = TimeSpan.FromSeconds(2);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App service announced {Count} app(s)")]
    private static partial void LogAnnounced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App service could not announce its apps: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
