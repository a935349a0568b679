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
        ConsoleLog.Configure(logging, log);
        if (log.Severity != LogSeverity.Debug)
        {
            // The console provider behind a filter for expected start failures (reported once by StartupFailure).
            logging.Services.RemoveAll<ILoggerProvider>();
            logging.Services.AddSingleton<ILoggerProvider>(services => new ExpectedFailureLoggerProvider(
                new ConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>())));
        }

        // Orleans is chatty at Information; its warnings still show.
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
    }
}
