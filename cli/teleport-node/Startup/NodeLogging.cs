using Microsoft.Extensions.Logging;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.TeleportNode.Startup;

/// <summary>
/// teleport.log for the node: one line per event on the console at the configured severity, as teleport start writes it
/// (cli/teleport ProcessLogging, without its filter for the auth service's backend failures, which a node has none of).
/// </summary>
internal static class NodeLogging
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
        // A node that fails to start is reported once, as the ERROR line of StartupFailure; the host's own report of it
        // is a stack trace, shown at debug severity only.
        if (log.Severity != LogSeverity.Debug)
        {
            logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }
    }
}
