namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// When to tell an agent turned away by <see cref="TunnelAdmission"/> to dial again: at a random moment within the time
/// the proxy needs for the agents it has turned away lately (and those in line) at the rate it gets through handshakes.
/// The window follows the crowd: wide while thousands dial after a restart, a second or two once few are left.
/// Agents left to their own backoff drew up to 30 s however few were left, and the last 1 % of 10,000 came back
/// 10 s after the rest. Exact moments for each agent, from a count of those told before, were tried and dropped:
/// a refused agent cannot be told from a new one, so every early return counted twice, the moments drifted out to
/// the cap and the proxy sat idle for 25 s of an 84 s recovery.
/// </summary>
internal sealed class TunnelReturnSchedule
{
    /// <summary>
    /// Handshakes a second assumed per place until the rate has been measured for a whole window (and the least taken
    /// meanwhile): a handshake in an eighth of a second, what 32 places reached on 2 cores once warm.
    /// </summary>
    public const double AssumedPerPlacePerSecond = 8;

    /// <summary>The shortest wait given: an agent back sooner would find the line as full as it left it.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <summary>The widest window: what agents drew from before the proxy said when.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>How far back handshakes and refusals are counted: long enough to smooth, short enough to follow.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    private const int Buckets = 16;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _assumedRate;
    private readonly long[] _ended = new long[Buckets];
    private readonly long[] _refused = new long[Buckets];
    private readonly long _bucketTicks;
    private long _currentBucket;
    private long _firstEnd = -1;

    public TunnelReturnSchedule(int places, TimeProvider time)
    {
        _time = time;
        _assumedRate = places * AssumedPerPlacePerSecond;
        _bucketTicks = (long)(Window.TotalSeconds * time.TimestampFrequency / Buckets);
        _currentBucket = time.GetTimestamp() / _bucketTicks;
    }

    /// <summary>Handshakes ended per second lately (at least the assumed rate in the first window).</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                return RateLocked(_time.GetTimestamp());
            }
        }
    }

    /// <summary>A handshake ended (admitted or failed): the place it held served one agent.</summary>
    public void HandshakeEnded()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            Advance(now);
            _ended[_currentBucket % Buckets]++;
            if (_firstEnd < 0)
            {
                _firstEnd = now;
            }
        }
    }

    /// <summary>The wait for one more agent turned away while <paramref name="waiting"/> agents stand in line.</summary>
    public TimeSpan NextReturn(int waiting) => NextReturn(waiting, Random.Shared.NextDouble());

    /// <summary>The wait for a uniform draw <paramref name="unit"/> in [0, 1) within <see cref="Spread"/>.</summary>
    internal TimeSpan NextReturn(int waiting, double unit)
    {
        lock (_gate)
        {
            var spread = SpreadLocked(_time.GetTimestamp(), waiting);
            _refused[_currentBucket % Buckets]++;
            return Shortest + ((spread - Shortest) * unit);
        }
    }

    /// <summary>
    /// The window the next turned-away agent's return is drawn from: the agents in line, those turned away within the
    /// last <see cref="Window"/> and this one, at the handshake rate; from <see cref="Shortest"/> to <see cref="Longest"/>.
    /// </summary>
    public TimeSpan Spread(int waiting)
    {
        lock (_gate)
        {
            return SpreadLocked(_time.GetTimestamp(), waiting);
        }
    }

    private TimeSpan SpreadLocked(long now, int waiting)
    {
        var rate = RateLocked(now);
        var spread = TimeSpan.FromSeconds((waiting + Sum(_refused) + 1) / rate);
        return spread < Shortest ? Shortest : spread > Longest ? Longest : spread;
    }

    private double RateLocked(long now)
    {
        Advance(now);
        if (_firstEnd < 0)
        {
            return _assumedRate;
        }

        // Over the time the kept buckets cover, or since the first handshake ended if that is later (right after a
        // start), and at least one bucket's, so that a burst of early ends does not read as a huge rate.
        var from = Math.Max((_currentBucket - Buckets + 1) * _bucketTicks, _firstEnd);
        var seconds = Math.Max(_time.GetElapsedTime(from, now).TotalSeconds, Window.TotalSeconds / Buckets);
        var measured = Math.Max(Sum(_ended) / seconds, 1);
        return _time.GetElapsedTime(_firstEnd, now) < Window ? Math.Max(measured, _assumedRate) : measured;
    }

    private static long Sum(long[] buckets)
    {
        long sum = 0;
        foreach (var count in buckets)
        {
            sum += count;
        }

        return sum;
    }

    /// <summary>Moves to the bucket of <paramref name="now"/>, emptying the ones passed.</summary>
    private void Advance(long now)
    {
        var bucket = now / _bucketTicks;
        for (var b = _currentBucket + 1; b <= bucket && b <= _currentBucket + Buckets; b++)
        {
            _ended[b % Buckets] = 0;
            _refused[b % Buckets] = 0;
        }

        _currentBucket = Math.Max(_currentBucket, bucket);
    }
}
