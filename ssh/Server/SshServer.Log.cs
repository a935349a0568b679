using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Server;

public sealed partial class SshServer
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing SSH connection from {Remote}: {Reason}: {Detail}")]
    private static partial void LogProtocolViolation(ILogger logger, string remote, SshDisconnectReason reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH client {Remote} disconnected ({Reason}): {Description}")]
    private static partial void LogPeerDisconnected(ILogger logger, string remote, SshDisconnectReason reason, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing SSH connection from {Remote}: the server is shutting down")]
    private static partial void LogShutdown(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing SSH connection from {Remote}: not authenticated within {Timeout}")]
    private static partial void LogHandshakeTimeout(ILogger logger, string remote, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH connection from {Remote} lost: {Detail}")]
    private static partial void LogConnectionLost(ILogger logger, string remote, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "SSH connection from {Remote} failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SSH connection from {Remote} relays client {Client}, as its relay's preface vouches")]
    private static partial void LogRelayVouched(ILogger logger, string remote, string client);
}
