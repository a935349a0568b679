using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Agent forwarding refused for {User} as {Login}: no role sets forward_agent")]
    private static partial void LogAgentRefused(ILogger logger, string user, string login);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: agent forwarding failed: {Reason}")]
    private static partial void LogAgentFailed(ILogger logger, string sessionId, string reason);
}
