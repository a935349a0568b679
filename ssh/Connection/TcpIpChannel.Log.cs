using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Connection;

internal sealed partial class TcpIpChannel
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {Channel}: forwarding {Direction} ended: {Reason}")]
    private static partial void LogSpliceEnded(ILogger logger, uint channel, string direction, string reason);
}
