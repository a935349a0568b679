using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Teleport.Orleans.Backends.Core.Resilience;

/// <summary>
/// Retries a backend call that failed transiently (a dropped connection, a failover, a serialization failure) with
/// exponential backoff and jitter. Each retry is logged and counted; the last failure is thrown, never swallowed.
/// A retried write must be safe to repeat: the stores make theirs conditional (ETag, version) or idempotent (ids).
/// Once an operation has used every attempt the backend counts as down: until the next success, calls are tried once
/// and not retried, so that callers queued behind one another (a grain serves one call at a time) hear "unavailable"
/// in milliseconds instead of each waiting out a retry series, and the first call after the backend is back succeeds.
/// </summary>
public sealed partial class TransientRetry
{
    private readonly string _backend;
    private readonly Func<Exception, bool> _isTransient;
    private readonly RetryOptions _options;
    private readonly ILogger _logger;

    // Stopwatch timestamp of the first exhausted retry series of the current outage; 0 while the backend answers.
    private long _outageSince;

    public TransientRetry(string backend, Func<Exception, bool> isTransient, RetryOptions? options = null, ILogger? logger = null)
    {
        _backend = backend;
        _isTransient = isTransient;
        _options = options ?? RetryOptions.Default;
        _logger = logger ?? NullLogger.Instance;
    }

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await action(cancellationToken);
                EndOutage();
                return result;
            }
            catch (Exception ex) when (_isTransient(ex))
            {
                var outageSince = Volatile.Read(ref _outageSince);
                if (outageSince != 0)
                {
                    BackendMetrics.Failures.Add(1, Tags(operation));
                    BackendOutage.Mark(ex, _backend);
                    throw;
                }

                if (attempt >= _options.MaxAttempts)
                {
                    BackendMetrics.Failures.Add(1, Tags(operation));
                    LogGaveUp(ex, _backend, operation, attempt);
                    BackendOutage.Mark(ex, _backend);
                    if (Interlocked.CompareExchange(ref _outageSince, Stopwatch.GetTimestamp(), 0) == 0)
                    {
                        LogOutageBegan(_backend);
                    }

                    throw;
                }

                // The caller gave up: report that, with the failure that was about to be retried inside.
                if (cancellationToken.IsCancellationRequested)
                {
                    BackendOutage.Mark(ex, _backend);
                    throw new OperationCanceledException($"{_backend} {operation} was canceled while retrying", ex, cancellationToken);
                }

                var delay = Backoff(attempt);
                BackendMetrics.Retries.Add(1, Tags(operation));
                LogRetry(ex, _backend, operation, attempt, _options.MaxAttempts, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    public Task ExecuteAsync(string operation, Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        ExecuteAsync(operation, async ct =>
        {
            await action(ct);
            return true;
        }, cancellationToken);

    private void EndOutage()
    {
        var since = Volatile.Read(ref _outageSince);
        if (since != 0 && Interlocked.CompareExchange(ref _outageSince, 0, since) == since)
        {
            LogOutageEnded(_backend, Stopwatch.GetElapsedTime(since).TotalSeconds);
        }
    }

    /// <summary>Half the exponential delay fixed, half random: spreads silos that failed together.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    private TagList Tags(string operation) => new() { { "backend", _backend }, { "operation", operation } };
}
