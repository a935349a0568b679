namespace Teleport.Orleans.Agent.Auth;

/// <summary>Exponential backoff with full jitter, capped, so that many nodes do not retry in step.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>The nominal interval with ±<paramref name="fraction"/> jitter.</summary>
    public static TimeSpan Jitter(TimeSpan interval, double fraction = 0.1) =>
        interval * (1 + ((Random.Shared.NextDouble() * 2) - 1) * fraction);
}
