using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Tests.Support;

namespace Teleport.Orleans.Backends.Tests.Resilience;

public sealed class TransientRetryTests
{
    private static readonly RetryOptions Fast = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    private readonly string _backend = "test-" + Guid.NewGuid().ToString("N");
    private readonly ListLogger _logger = new();

    [Fact]
    public async Task Transient_failures_are_retried_logged_and_counted_until_success()
    {
        using var counters = new CounterRecorder(_backend);
        var retry = new TransientRetry(_backend, ex => ex is TimeoutException, Fast, _logger);
        var calls = 0;

        var result = await retry.ExecuteAsync("read", _ => ++calls < 3 ? throw new TimeoutException("flaky") : Task.FromResult(42), CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        Assert.Equal(2, counters.Total("teleport.backend.retries"));
        Assert.Equal(0, counters.Total("teleport.backend.failures"));
        Assert.Equal(2, _logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("read failed transiently") && e.Exception is TimeoutException));
    }

    [Fact]
    public async Task The_last_transient_failure_is_thrown_after_the_last_attempt()
    {
        using var counters = new CounterRecorder(_backend);
        var retry = new TransientRetry(_backend, ex => ex is TimeoutException, Fast, _logger);
        var calls = 0;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => retry.ExecuteAsync("write", _ => Task.FromException<int>(new TimeoutException("down " + ++calls)), CancellationToken.None));

        Assert.Equal("down 4", error.Message);
        Assert.Equal(3, counters.Total("teleport.backend.retries"));
        Assert.Equal(1, counters.Total("teleport.backend.failures"));
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("write failed after 4 attempts"));
    }

    [Fact]
    public async Task Other_failures_are_thrown_at_once()
    {
        using var counters = new CounterRecorder(_backend);
        var retry = new TransientRetry(_backend, ex => ex is TimeoutException, Fast, _logger);
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => retry.ExecuteAsync("write", _ => Task.FromException<int>(new InvalidOperationException("bug " + ++calls)), CancellationToken.None));

        Assert.Equal(1, calls);
        Assert.Equal(0, counters.Total("teleport.backend.retries"));
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task Cancellation_stops_the_retries()
    {
        var retry = new TransientRetry(_backend, ex => ex is TimeoutException, Fast with { MaxAttempts = 100, BaseDelay = TimeSpan.FromSeconds(1) }, _logger);
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retry.ExecuteAsync("read", _ =>
        {
            if (++calls == 2)
            {
                cancel.Cancel();
            }

            return Task.FromException<int>(new TimeoutException());
        }, cancel.Token));

        Assert.Equal(2, calls);
    }
}
