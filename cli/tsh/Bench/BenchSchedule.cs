namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>
/// When each session of an open-loop benchmark starts: session i at i / rate seconds after the start, for as long as
/// the duration lasts (rate × duration sessions, at least one). Starts are due by the clock alone, so a slow session
/// never delays the next one; a starved client catches up by starting every session that is due at once.
/// </summary>
internal sealed class BenchSchedule
{
    public BenchSchedule(double rate, TimeSpan duration)
    {
        if (!(rate > 0) || double.IsInfinity(rate))
        {
            throw new TshException("--rate must be a positive number of sessions per second.");
        }

        if (duration <= TimeSpan.Zero)
        {
            throw new TshException("--duration must be longer than zero (e.g. 10s, 1m).");
        }

        Rate = rate;
        Duration = duration;
        Count = Math.Max(1, (int)Math.Min(int.MaxValue, Math.Floor(rate * duration.TotalSeconds)));
    }

    public double Rate { get; }

    public TimeSpan Duration { get; }

    /// <summary>How many sessions the run starts.</summary>
    public int Count { get; }

    /// <summary>The offset from the run's start at which session <paramref name="index"/> is due.</summary>
    public TimeSpan StartOf(int index) => TimeSpan.FromSeconds(index / Rate);

    /// <summary>How many sessions are due <paramref name="elapsed"/> after the start (never more than <see cref="Count"/>).</summary>
    public int DueBy(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero)
        {
            return 0;
        }

        // Session i is due when i / rate <= elapsed, so floor(elapsed × rate) + 1 of them; a tick early for rounding.
        var due = Math.Floor((elapsed.TotalSeconds * Rate) + 1e-9) + 1;
        return (int)Math.Min(Count, due);
    }
}
