using Microsoft.Extensions.Logging;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// teleport.log's shape, shared by teleport start and teleport-node: one line per event on the console, UTC
/// timestamps, at the configured severity; the hosting framework's chatter held back.
/// </summary>
internal static class ConsoleLog
{
    public static void Configure(ILoggingBuilder logging, LogConfig log)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(log.Severity switch
        {
            LogSeverity.Debug => LogLevel.Debug,
            LogSeverity.Warn => LogLevel.Warning,
            LogSeverity.Error => LogLevel.Error,
            _ => LogLevel.Information,
        });
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        // A service that fails to start is reported once, as an ERROR line (StartupFailure); the host's own report of
        // it is a stack trace. It still shows at debug severity, and a failed background service stays Critical.
        if (log.Severity != LogSeverity.Debug)
        {
            logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }
    }
}
