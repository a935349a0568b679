using System.Net;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Server;

public sealed partial class SshListener
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SSH server listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a connection failed: {Detail}")]
    private static partial void LogAcceptFailed(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "An SSH connection failed outside the protocol handler")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);
}
