using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Client;

public sealed partial class SshClient
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connected as {User} to {Host} ({ServerVersion})")]
    private static partial void LogConnected(ILogger logger, string user, string host, string serverVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to {Host} failed: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string host, string reason);
}
