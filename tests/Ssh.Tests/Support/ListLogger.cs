using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Collects log entries from every category so tests can assert on logged reasons.</summary>
internal sealed class ListLogger : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public string Text => string.Join('\n', _entries.Select(e => $"{e.Level} {e.Category}: {e.Message}{(e.Exception is null ? "" : " " + e.Exception)}"));

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>Waits until an entry matches (the server logs after the client may already have seen the close).</summary>
    public async Task<Entry> WaitForAsync(Func<Entry, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (_entries.FirstOrDefault(predicate) is { } entry)
            {
                return entry;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No matching log entry. Log:\n" + Text);
    }

    internal sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CategoryLogger(ListLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
