using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Routing;

internal sealed partial class RoutingCache
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Routing cache loaded {Nodes} nodes and {Roles} roles")]
    private static partial void LogSnapshot(ILogger logger, int nodes, int roles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing cache could not refresh from the auth service; serving what it has")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
