using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Connection;

internal abstract partial class ConnectionChannel
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {Channel}: request '{Type}' {Accepted}")]
    private static partial void LogRequestCore(ILogger logger, uint channel, string type, string accepted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel}: releasing its resources failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, uint channel);

    protected static void LogRequest(ILogger logger, uint channel, string type, bool accepted) =>
        LogRequestCore(logger, channel, type, accepted ? "accepted" : "refused");
}
