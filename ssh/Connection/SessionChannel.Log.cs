using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Connection;

internal sealed partial class SessionChannel
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel}: session handler failed on '{Type}'")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, uint channel, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel}: program failed; no exit status is sent")]
    private static partial void LogProgramFailed(ILogger logger, Exception exception, uint channel);
}
