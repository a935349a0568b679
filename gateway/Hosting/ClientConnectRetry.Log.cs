using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Hosting;

internal sealed partial class ClientConnectRetry
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The auth service is not reachable yet (attempt {Attempt}); retrying in {Seconds:0.##} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, int attempt, double seconds, string reason);
}
