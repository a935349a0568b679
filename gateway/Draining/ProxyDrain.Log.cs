using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Draining;

internal sealed partial class ProxyDrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: not ready any more, no new connections; {Sessions} open sessions may run for up to {Seconds:0.#} s")]
    private static partial void LogDraining(ILogger logger, int sessions, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drained in {Seconds:0.##} s: every session ended on its own")]
    private static partial void LogDrained(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shutdown grace period is over; closing {Sessions} sessions still open")]
    private static partial void LogGraceOver(ILogger logger, int sessions);
}
