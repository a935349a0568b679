using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Audit;

internal sealed partial class ProxyAuditLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} audit events: the proxy's audit buffer ({Capacity} events) was full")]
    private static partial void LogDropped(ILogger logger, long count, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} audit events: {Reason}")]
    private static partial void LogBatchLost(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} audit events were still buffered when the proxy's stop ran out of time")]
    private static partial void LogLostAtStop(ILogger logger, int count);
}
