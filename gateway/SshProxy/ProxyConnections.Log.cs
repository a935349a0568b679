using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.SshProxy;

internal sealed partial class ProxyConnections
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Closed {User}'s connection to {Node}: its session start could not be audited: {Reason}")]
    private static partial void LogUnaudited(ILogger logger, string user, string node, string reason);
}
