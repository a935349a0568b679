using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Transport;

internal sealed partial class SshTransport
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Peer identification: {Version}")]
    private static partial void LogPeerVersion(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Key exchange {Number}: {Algorithms}, strict {Strict}")]
    private static partial void LogNegotiated(ILogger logger, int number, string algorithms, bool strict);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Starting a key re-exchange after {BytesWritten} bytes out and {BytesRead} bytes in")]
    private static partial void LogRekeyStarted(ILogger logger, long bytesWritten, long bytesRead);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Peer debug message: {Text}")]
    private static partial void LogPeerDebug(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Peer did not implement our packet {Sequence}")]
    private static partial void LogPeerUnimplemented(ILogger logger, uint sequence);
}
