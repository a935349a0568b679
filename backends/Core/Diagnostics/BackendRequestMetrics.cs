using System.Diagnostics;
using System.Diagnostics.Metrics;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.Core.Diagnostics;

/// <summary>
/// Cluster-state reads and writes with Teleport's backend metric names: requests, failures and latency, tagged
/// with the kind of record (<c>req</c>, the grain state name, as Teleport tags the key prefix).
/// </summary>
public sealed class BackendRequestMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _reads;
    private readonly Counter<long> _readFailures;
    private readonly Histogram<double> _readSeconds;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _writeFailures;
    private readonly Histogram<double> _writeSeconds;

    public BackendRequestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BackendMetrics.MeterName);
        _requests = meter.CreateCounter<long>("backend_requests", description: "Backend requests by record kind");
        _reads = meter.CreateCounter<long>("backend_read_requests_total", description: "Backend read requests");
        _readFailures = meter.CreateCounter<long>("backend_read_requests_failed_total", description: "Backend read requests that failed");
        _readSeconds = meter.CreateHistogram("backend_read_seconds", unit: "s", description: "Backend read latency", advice: LatencyBuckets.Advice);
        _writes = meter.CreateCounter<long>("backend_write_requests_total", description: "Backend write requests (writes and deletes)");
        _writeFailures = meter.CreateCounter<long>("backend_write_requests_failed_total", description: "Backend write requests that failed (conflicts included)");
        _writeSeconds = meter.CreateHistogram("backend_write_seconds", unit: "s", description: "Backend write latency", advice: LatencyBuckets.Advice);
    }

    public Task<T> TrackRead<T>(string kind, Func<Task<T>> read) => Track(kind, read, _reads, _readFailures, _readSeconds);

    public Task<T> TrackWrite<T>(string kind, Func<Task<T>> write) => Track(kind, write, _writes, _writeFailures, _writeSeconds);

    private async Task<T> Track<T>(string kind, Func<Task<T>> request, Counter<long> requests, Counter<long> failures, Histogram<double> seconds)
    {
        var started = Stopwatch.GetTimestamp();
        var tags = new TagList { { "component", "backend" }, { "req", kind }, { "range", "false" } };
        _requests.Add(1, tags);
        requests.Add(1);
        try
        {
            return await request();
        }
        catch
        {
            failures.Add(1);
            throw;
        }
        finally
        {
            seconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
