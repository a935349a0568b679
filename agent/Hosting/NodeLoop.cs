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
        catch (Exception ex)
        {
            LogFailed(ex, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The node's {Loop} loop stopped")]
    private partial void LogFailed(Exception exception, string loop);
}
