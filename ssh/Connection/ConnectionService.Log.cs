using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Connection;

internal sealed partial class ConnectionService
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Global request '{Name}' (want reply {WantReply}) {Outcome}")]
    private static partial void LogGlobalRequest(ILogger logger, string name, bool wantReply, string outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel open '{Type}' refused: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The session handler factory failed")]
    private static partial void LogHandlerFactoryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The forwarding handler failed on '{Operation}'")]
    private static partial void LogForwardingHandlerFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel}: direct-tcpip to {Request} opened")]
    private static partial void LogDirectTcpIpOpened(ILogger logger, uint channel, SshDirectTcpIpRequest request);

    [LoggerMessage(Level = LogLevel.Information, Message = "direct-tcpip to {Request} failed: {Reason}")]
    private static partial void LogDirectTcpIpFailed(ILogger logger, SshDirectTcpIpRequest request, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Remote forward of {Address}:{Port} started (requested port {Requested})")]
    private static partial void LogRemoteForwardStarted(ILogger logger, string address, uint port, uint requested);

    [LoggerMessage(Level = LogLevel.Information, Message = "Remote forward of {Address}:{Port} stopped")]
    private static partial void LogRemoteForwardStopped(ILogger logger, string address, uint port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {Channel}: {Type} to the client for {Description} {Outcome}")]
    private static partial void LogOpenToClient(ILogger logger, uint channel, string type, string description, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnecting the client: {Reason}")]
    private static partial void LogDisconnecting(ILogger logger, string reason);
}
