using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>teleport.log for every mode: one line per event on the console, at the configured severity.</summary>
internal static class ProcessLogging
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
        if (log.Severity != LogSeverity.Debug)
        {
            // The console provider behind a filter for expected start failures (reported once by StartupFailure).
            logging.Services.RemoveAll<ILoggerProvider>();
            logging.Services.AddSingleton<ILoggerProvider>(services => new ExpectedFailureLoggerProvider(
                new ConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>())));
        }

        logging.SetMinimumLevel(log.Severity switch
        {
            LogSeverity.Debug => LogLevel.Debug,
            LogSeverity.Warn => LogLevel.Warning,
            LogSeverity.Error => LogLevel.Error,
            _ => LogLevel.Information,
        });
        // Orleans and ASP.NET Core are chatty at Information; their warnings still show.
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        // A service that fails to start is reported once, as an ERROR line (StartupFailure); the host's own report of
        // it is a stack trace. It still shows at debug severity, and a failed background service stays Critical.
        if (log.Severity != LogSeverity.Debug)
        {
            logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }
    }
}
