using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Teleport.Orleans.Backends.Core.Resilience;

/// <summary>
/// Retries a backend call that failed transiently (a dropped connection, a failover, a serialization failure) with
/// exponential backoff and jitter. Each retry is logged and counted; the last failure is thrown, never swallowed.
/// A retried write must be safe to repeat: the stores make theirs conditional (ETag, version) or idempotent (ids).
/// </summary>
public sealed partial class TransientRetry
{
    private readonly string _backend;
    private readonly Func<Exception, bool> _isTransient;
    private readonly RetryOptions _options;
    private readonly ILogger _logger;

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
                return await action(cancellationToken);
            }
            catch (Exception ex) when (_isTransient(ex))
            {
                if (attempt >= _options.MaxAttempts)
                {
                    BackendMetrics.Failures.Add(1, Tags(operation));
                    LogGaveUp(ex, _backend, operation, attempt);
                    BackendOutage.Mark(ex, _backend);
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

    /// <summary>Half the exponential delay fixed, half random: spreads silos that failed together.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    private TagList Tags(string operation) => new() { { "backend", _backend }, { "operation", operation } };
}
