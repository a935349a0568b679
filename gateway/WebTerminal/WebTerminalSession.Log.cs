using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.WebTerminal;

internal sealed partial class WebTerminalSession
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Web terminal of {User} on {Node} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string user, string node, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Web terminal session metadata not sent: {Reason}")]
    private static partial void LogNoMetadata(ILogger logger, string reason);
}
