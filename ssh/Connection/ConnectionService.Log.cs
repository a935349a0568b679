using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Connection;

internal sealed partial class ConnectionService
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Global request '{Name}' (want reply {WantReply}) refused")]
    private static partial void LogGlobalRequest(ILogger logger, string name, bool wantReply);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel open '{Type}' refused: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The session handler factory failed")]
    private static partial void LogHandlerFactoryFailed(ILogger logger, Exception exception);
}
