using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Server;

public sealed partial class ConnectionLimiter
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing connection from {Remote} on {Listener}: its address has {Limit} connections open (teleport.connection_limits.max_connections; {HeldBack} such lines for this source held back before)")]
    private static partial void LogConnectionRefused(ILogger logger, string remote, string listener, int limit, int heldBack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing user {User} from {Remote}: {Limit} users are connected (teleport.connection_limits.max_users; {HeldBack} such lines for this source held back before)")]
    private static partial void LogUserRefused(ILogger logger, string user, string remote, int limit, int heldBack);
}
