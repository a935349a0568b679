using Teleport.Orleans.Agent.Auth;

namespace Teleport.Orleans.Agent.Tests.Auth;

/// <summary>Agents that lost the same proxy retry spread over the whole backoff window, never in step.</summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(8);

    [Fact]
    public void The_window_doubles_per_attempt_up_to_the_cap()
    {
        Assert.Equal(500, Backoff.Ceiling(0, First, Max));
        Assert.Equal(1000, Backoff.Ceiling(1, First, Max));
        Assert.Equal(4000, Backoff.Ceiling(3, First, Max));
        Assert.Equal(8000, Backoff.Ceiling(4, First, Max));
        Assert.Equal(8000, Backoff.Ceiling(1000, First, Max));
    }

    [Fact]
    public void A_delay_can_be_anywhere_from_zero_to_the_window()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(4, First, Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.Delay(4, First, Max, 0.5));
        Assert.True(Backoff.Delay(4, First, Max, 0.999999) < Max);
    }

    [Fact]
    public void Many_agents_retrying_at_once_spread_evenly_over_the_window()
    {
        var delays = Enumerable.Range(0, 10_000).Select(_ => Backoff.Delay(6, First, Max)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, Max));
        // Full jitter: each second of the 8 s window gets about an eighth of the agents, the first one included.
        var perSecond = delays.GroupBy(d => (int)d.TotalSeconds).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Enumerable.Range(0, 8), second => Assert.InRange(perSecond.GetValueOrDefault(second), 1000, 1500));
    }
}
