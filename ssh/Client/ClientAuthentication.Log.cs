using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Client;

internal sealed partial class ClientAuthentication
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Authenticated as {User} with {Method}")]
    private static partial void LogAuthenticated(ILogger logger, string user, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Server banner: {Text}")]
    private static partial void LogBanner(ILogger logger, string text);
}
