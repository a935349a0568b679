using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.WebSessions;

internal sealed partial class WebSessionService
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Web session started for {User} from {Address}")]
    private static partial void LogStarted(ILogger logger, string user, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web session of {User} ended by lock {Lock}")]
    private static partial void LogEndedByLock(ILogger logger, string user, string @lock);
}
