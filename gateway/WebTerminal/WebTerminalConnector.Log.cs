using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.WebTerminal;

internal sealed partial class WebTerminalConnector
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Web terminal of {User} started as {Login} on {Node}")]
    private static partial void LogStarted(ILogger logger, string user, string login, string node);
}
