namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>
/// Percentiles of a set of latencies by nearest rank: the p-th percentile is the smallest value that at least p % of
/// the samples do not exceed, so p100 is the maximum and every figure is a latency that was actually measured.
/// </summary>
internal sealed class LatencyPercentiles
{
    private readonly TimeSpan[] _sorted;

    public LatencyPercentiles(IEnumerable<TimeSpan> samples)
    {
        _sorted = [.. samples];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    /// <summary>The <paramref name="percentile"/>-th percentile (0 &lt; p ≤ 100); null when there are no samples.</summary>
    public TimeSpan? At(double percentile)
    {
        if (!(percentile > 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is above 0 and at most 100.");
        }

        if (_sorted.Length == 0)
        {
            return null;
        }

        // The rank is computed in thousandths of a percent, so that 99.9 % of 1,000 samples is rank 999, not 1,000.
        var rank = (int)Math.Ceiling(Math.Round(percentile * 1000) * _sorted.Length / 100_000.0);
        return _sorted[Math.Clamp(rank, 1, _sorted.Length) - 1];
    }

    public TimeSpan? Max => _sorted.Length == 0 ? null : _sorted[^1];
}
