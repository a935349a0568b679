using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Keeps expected start failures off the console log: a backend that cannot be prepared (<see cref="BackendSetupException"/>:
/// a missing privilege, a missing bucket permission) is reported once, as the <c>ERROR:</c> line of
/// <see cref="StartupFailure"/>; Orleans' own reports of it, each with the exception's stack trace, are dropped.
/// </summary>
internal sealed class ExpectedFailureLoggerProvider(ILoggerProvider inner) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    internal static bool IsExpected(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BackendSetupException)
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsExpected))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Most events carry no exception; the check (which loads the backends' assembly) runs only for those that do.
            if (exception is null || !IsExpected(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
