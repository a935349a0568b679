using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// One of the node's long-running loops (policy watch, heartbeat, audit, uploads, renewal, tunnel) as a hosted
/// service: it starts after <see cref="NodeService"/> has built the node and is cancelled when the host stops.
/// A loop that fails is logged and ends alone; the node keeps serving, as it always has.
/// </summary>
internal sealed partial class NodeLoop(string name, NodeService node, Func<NodeService, CancellationToken, Task> run, ILogger<NodeLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start path: a loop's first synchronous steps must not delay the next service.
        await Task.Yield();
        try
        {
            await run(node, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested)
        {
            // A call in flight when the node stops (its auth channel closing under it) fails with the channel's own
            // error, not a cancellation: that is the stop, not a fault, and a failed start must stay one ERROR line.
            LogEndedByStop(ex, name);
        }
        catch (Exception ex)
        {
            LogFailed(ex, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The node's {Loop} loop ended with the node's stop")]
    private partial void LogEndedByStop(Exception exception, string loop);

    [LoggerMessage(Level = LogLevel.Error, Message = "The node's {Loop} loop stopped")]
    private partial void LogFailed(Exception exception, string loop);
}
