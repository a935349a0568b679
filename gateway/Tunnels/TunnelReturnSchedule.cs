namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// When to tell an agent turned away by <see cref="TunnelAdmission"/> to dial again. The proxy knows how fast it gets
/// through handshakes and how many agents it has already told to come back, so it gives each turned-away agent the
/// next free moment: the returns arrive at about the rate the proxy can take them. Left to a random backoff instead
/// (up to 30 s), the last 1 % of 10,000 agents after a restart drew long waits twice and came back 10 s after the rest.
/// The moments are a little ahead of the measured rate (<see cref="Overbooking"/>): an agent back too early costs a
/// refusal before any cryptography; one told too late leaves the proxy idle, and the rate measured while the proxy
/// warms up is lower than what it reaches (told at the first seconds' rate, 10,000 agents came back over 83 s with the
/// proxy half idle for 35 of them).
/// </summary>
internal sealed class TunnelReturnSchedule
{
    /// <summary>
    /// Handshakes a second assumed per place until the rate has been measured for a whole window (and the least taken
    /// meanwhile): a handshake in an eighth of a second, what 32 places reached on 2 cores once warm.
    /// </summary>
    public const double AssumedPerPlacePerSecond = 8;

    /// <summary>How much faster than the measured rate agents are told to come back.</summary>
    public const double Overbooking = 1.25;

    /// <summary>The shortest wait given: an agent back sooner would find the line as full as it left it.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait given; more agents than that holds are told this and lined up again when they return.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(1);

    /// <summary>How far back the handshake rate is measured: long enough to smooth, short enough to follow load.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    private const int Buckets = 8;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _assumedRate;
    private readonly long[] _ended = new long[Buckets];
    private readonly long _bucketTicks;
    private long _currentBucket;
    private long _firstEnd = -1;
    private double _promised;
    private long _promisedAt;

    public TunnelReturnSchedule(int places, TimeProvider time)
    {
        _time = time;
        _assumedRate = places * AssumedPerPlacePerSecond;
        _bucketTicks = (long)(Window.TotalSeconds * time.TimestampFrequency / Buckets);
        _promisedAt = time.GetTimestamp();
        _currentBucket = _promisedAt / _bucketTicks;
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

    /// <summary>
    /// The wait for one more agent turned away while <paramref name="waiting"/> agents stand in line: after those and
    /// the agents told before it that are still to come, at the rate the handshakes end.
    /// </summary>
    public TimeSpan NextReturn(int waiting)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var rate = RateLocked(now) * Overbooking;
            // Agents told earlier come back at the rate; the ones whose time has passed are no longer ahead.
            _promised = Math.Max(0, _promised - (rate * _time.GetElapsedTime(_promisedAt, now).TotalSeconds));
            _promisedAt = now;
            var wait = TimeSpan.FromSeconds((waiting + _promised + 1) / rate);
            _promised++;
            return wait < Shortest ? Shortest : wait > Longest ? Longest : wait;
        }
    }

    private double RateLocked(long now)
    {
        Advance(now);
        if (_firstEnd < 0)
        {
            return _assumedRate;
        }

        long ended = 0;
        foreach (var count in _ended)
        {
            ended += count;
        }

        // Over the time the kept buckets cover, or since the first handshake ended if that is later (right after a
        // start), and at least one bucket's, so that a burst of early ends does not read as a huge rate.
        var from = Math.Max((_currentBucket - Buckets + 1) * _bucketTicks, _firstEnd);
        var seconds = Math.Max(_time.GetElapsedTime(from, now).TotalSeconds, Window.TotalSeconds / Buckets);
        var measured = Math.Max(ended / seconds, 1);
        return _time.GetElapsedTime(_firstEnd, now) < Window ? Math.Max(measured, _assumedRate) : measured;
    }

    /// <summary>Moves to the bucket of <paramref name="now"/>, emptying the ones passed.</summary>
    private void Advance(long now)
    {
        var bucket = now / _bucketTicks;
        for (var b = _currentBucket + 1; b <= bucket && b <= _currentBucket + Buckets; b++)
        {
            _ended[b % Buckets] = 0;
        }

        _currentBucket = Math.Max(_currentBucket, bucket);
    }
}
