using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Client;

internal sealed partial class ClientTransport
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Server identification: {Version}")]
    private static partial void LogServerVersion(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Key exchange {Number}: {Algorithms}, strict {Strict}")]
    private static partial void LogNegotiated(ILogger logger, int number, string algorithms, bool strict);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Starting a key re-exchange after {BytesWritten} bytes out and {BytesRead} bytes in")]
    private static partial void LogRekeyStarted(ILogger logger, long bytesWritten, long bytesRead);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Server signature algorithms: {Algorithms}")]
    private static partial void LogServerSignatureAlgorithms(ILogger logger, string algorithms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Server debug message: {Text}")]
    private static partial void LogPeerDebug(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Server did not implement our packet {Sequence}")]
    private static partial void LogPeerUnimplemented(ILogger logger, uint sequence);
}
