using System.Diagnostics.Metrics;

namespace Teleport.Orleans.Backends.Core.Diagnostics;

/// <summary>Histogram buckets in seconds, 1 ms to 32 s doubling, as Teleport's latency histograms use.</summary>
public static class LatencyBuckets
{
    public static readonly InstrumentAdvice<double> Advice = new()
    {
        HistogramBucketBoundaries = [.. Enumerable.Range(0, 16).Select(i => 0.001 * Math.Pow(2, i))],
    };
}
