using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Draining;

internal sealed partial class ProxyDrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: not ready any more; still accepting for {Seconds:0.#} s while the load balancer takes this proxy out")]
    private static partial void LogUnready(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: no new connections after {Seconds:0.#} s (the last came at {Last:0.#} s); {Sessions} open sessions may run for up to {Grace:0.#} s; handing over {Tunnels} reverse tunnels as their sessions end")]
    private static partial void LogDraining(ILogger logger, double seconds, double last, int sessions, int tunnels, double grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drained in {Seconds:0.##} s: every session ended on its own and every tunnel moved")]
    private static partial void LogDrained(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shutdown grace period is over; closing {Sessions} sessions and {Tunnels} reverse tunnels still open")]
    private static partial void LogGraceOver(ILogger logger, int sessions, int tunnels);
}
