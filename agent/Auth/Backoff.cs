namespace Teleport.Orleans.Agent.Auth;

/// <summary>
/// Exponential backoff with full jitter, capped: the delay is drawn uniformly from zero to the capped exponential, so
/// that many nodes that lost the same proxy at the same moment spread their retries over the whole window instead of
/// arriving in step (a proxy restart with thousands of tunnels would otherwise see them all at once, again and again).
/// </summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max) =>
        Delay(attempt, first, max, Random.Shared.NextDouble());

    /// <summary>The delay for a uniform draw <paramref name="unit"/> in [0, 1).</summary>
    internal static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, double unit) =>
        TimeSpan.FromMilliseconds(Ceiling(attempt, first, max) * unit);

    /// <summary>The largest delay of <paramref name="attempt"/>: first doubled per attempt, at most max.</summary>
    internal static double Ceiling(int attempt, TimeSpan first, TimeSpan max) =>
        Math.Min(first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 16)), max.TotalMilliseconds);

    /// <summary>The nominal interval with ±<paramref name="fraction"/> jitter.</summary>
    public static TimeSpan Jitter(TimeSpan interval, double fraction = 0.1) =>
        interval * (1 + ((Random.Shared.NextDouble() * 2) - 1) * fraction);
}
