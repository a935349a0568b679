namespace Teleport.Orleans.Backends.Core.Resilience;

/// <summary>
/// Marks a failure that retries could not get past (the backend is down or unreachable), so that the API boundaries
/// answer "unavailable, retry" (HTTP 503, gRPC Unavailable) instead of an internal error. The exception itself keeps
/// its type: callers inside the backends still see what the driver threw.
/// </summary>
public static class BackendOutage
{
    private const string Key = "teleport.backend.outage";

    public static void Mark(Exception exception, string backend) => exception.Data[Key] = backend;

    /// <summary>One sentence for the caller when <paramref name="exception"/> or an inner one is marked; otherwise null.</summary>
    public static string? Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current.Data[Key] is string backend)
            {
                return $"the cluster state backend ({backend}) is unavailable; try again in a few seconds";
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate && Describe(aggregate.InnerExceptions[0]) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
