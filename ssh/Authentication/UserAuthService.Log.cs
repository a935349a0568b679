using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Authentication;

internal sealed partial class UserAuthService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted publickey for {Attempt} from {Remote}")]
    private static partial void LogAccepted(ILogger logger, string attempt, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Attempt}: {Reason}")]
    private static partial void LogAttemptRejected(ILogger logger, string attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Algorithm} key for {User}: {Problem}")]
    private static partial void LogKeyRefused(ILogger logger, string user, string algorithm, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Method {Method} refused for {User}: only publickey is offered")]
    private static partial void LogMethodRefused(ILogger logger, string method, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Authentication callback threw for {Attempt}")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception, string attempt);
}
