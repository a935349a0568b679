using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Client;

internal sealed partial class ClientKeyExchange
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Server signature algorithms: {Algorithms}")]
    private static partial void LogServerSignatureAlgorithms(ILogger logger, string algorithms);
}
