using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Client;

internal sealed partial class ClientConnection
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel '{Type}' opened: ours {LocalId}, theirs {RemoteId}")]
    private static partial void LogChannelOpened(ILogger logger, string type, uint localId, uint remoteId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Server global request '{Name}' (want reply {WantReply}) refused")]
    private static partial void LogGlobalRequest(ILogger logger, string name, bool wantReply);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Server channel open '{Type}' refused")]
    private static partial void LogChannelRefused(ILogger logger, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection closed by the client ({Detail})")]
    private static partial void LogClosed(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection lost: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server did not answer {Count} keep-alives; closing the connection")]
    private static partial void LogKeepAliveTimeout(ILogger logger, int count);
}
