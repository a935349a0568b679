namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>
/// What a benchmark run measured, collected from concurrent sessions: each session's latency (from when it was due to
/// when it ended, failures included, as Teleport's histogram), the failures by reason, and how late starts ran.
/// </summary>
internal sealed class BenchResult
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _latencies = [];
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private TimeSpan _maxStartLag;

    public int Originated { get; private set; }

    public int Failed { get; private set; }

    /// <summary>From the first start to the last start actually made.</summary>
    public TimeSpan StartSpan { get; private set; }

    /// <summary>From the first start until the last session ended.</summary>
    public TimeSpan Elapsed { get; set; }

    public TimeSpan MaxStartLag
    {
        get
        {
            lock (_lock)
            {
                return _maxStartLag;
            }
        }
    }

    public void Started(TimeSpan due, TimeSpan startedAt)
    {
        lock (_lock)
        {
            Originated++;
            _maxStartLag = TimeSpan.FromTicks(Math.Max(_maxStartLag.Ticks, (startedAt - due).Ticks));
            StartSpan = TimeSpan.FromTicks(Math.Max(StartSpan.Ticks, startedAt.Ticks));
        }
    }

    public void Succeeded(TimeSpan latency)
    {
        lock (_lock)
        {
            _latencies.Add(latency);
        }
    }

    public void FailedWith(TimeSpan latency, string reason)
    {
        lock (_lock)
        {
            _latencies.Add(latency);
            Failed++;
            _failures[reason] = _failures.GetValueOrDefault(reason) + 1;
        }
    }

    public LatencyPercentiles Percentiles()
    {
        lock (_lock)
        {
            return new LatencyPercentiles(_latencies);
        }
    }

    /// <summary>Failure reasons, the most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Failures()
    {
        lock (_lock)
        {
            return [.. _failures.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal)];
        }
    }

    /// <summary>Sessions started per second over the span of starts (the rate the client achieved).</summary>
    public double AchievedRate => Originated <= 1 || StartSpan <= TimeSpan.Zero ? 0 : (Originated - 1) / StartSpan.TotalSeconds;
}
