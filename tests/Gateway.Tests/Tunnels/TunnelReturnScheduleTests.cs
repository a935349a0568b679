using Microsoft.Extensions.Time.Testing;
using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Tests.Tunnels;

/// <summary>
/// Agents the proxy turns away after a restart are told to come back within the time the proxy needs for the crowd it
/// has turned away lately, so their returns neither pile up again nor leave the proxy idle.
/// </summary>
public sealed class TunnelReturnScheduleTests
{
    [Fact]
    public void Agents_turned_away_are_spread_over_the_time_the_proxy_needs_for_the_crowd()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(4, time);
        EndHandshakes(schedule, time, count: 200, over: TimeSpan.FromSeconds(2));
        var rate = schedule.Rate;

        var waits = Enumerable.Range(0, 1000).Select(i => schedule.NextReturn(waiting: 0, unit: i / 1000.0)).ToList();

        // About 100 handshakes a second and 1,000 agents turned away: the last drew from a window of about 10 s.
        Assert.InRange(rate, 99, 102);
        Assert.Equal(1000 / rate, schedule.Spread(waiting: 0).TotalSeconds - (1 / rate), 3);
        Assert.Equal(TunnelReturnSchedule.Shortest, waits[0]);
        Assert.InRange(waits[^1].TotalSeconds, 8, 10);
    }

    [Fact]
    public void Agents_waiting_in_line_widen_the_window()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(4, time);
        EndHandshakes(schedule, time, count: 200, over: TimeSpan.FromSeconds(2));
        var rate = schedule.Rate;

        Assert.Equal(501 / rate, schedule.Spread(waiting: 500).TotalSeconds, 3);
    }

    [Fact]
    public void The_window_narrows_as_the_crowd_thins()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(4, time);
        EndHandshakes(schedule, time, count: 200, over: TimeSpan.FromSeconds(2));
        for (var i = 0; i < 1000; i++)
        {
            schedule.NextReturn(waiting: 0);
        }

        // A window later nobody was turned away any more: the next agent is told to come back soon.
        EndHandshakes(schedule, time, count: 800, over: TunnelReturnSchedule.Window);

        Assert.Equal(TunnelReturnSchedule.Shortest, schedule.Spread(waiting: 0));
    }

    [Fact]
    public void Before_any_handshake_ended_the_rate_assumed_is_eight_a_second_per_place()
    {
        var schedule = new TunnelReturnSchedule(8, new FakeTimeProvider());
        for (var i = 0; i < 127; i++)
        {
            schedule.NextReturn(waiting: 0);
        }

        // 64 a second: 128 agents in 2 s.
        Assert.Equal(64, schedule.Rate);
        Assert.Equal(2.0, schedule.Spread(waiting: 0).TotalSeconds, 3);
    }

    [Fact]
    public void A_proxy_slower_than_assumed_is_taken_at_its_measured_rate_after_the_first_window()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(32, time);
        EndHandshakes(schedule, time, count: 20, over: TimeSpan.FromSeconds(2));
        Assert.Equal(256, schedule.Rate);

        EndHandshakes(schedule, time, count: 80, over: TimeSpan.FromSeconds(8));

        Assert.InRange(schedule.Rate, 9, 11);
    }

    [Fact]
    public void Waits_are_never_shorter_than_a_second_nor_the_window_wider_than_thirty_seconds()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(1, time);
        EndHandshakes(schedule, time, count: 10, over: TimeSpan.FromSeconds(4));

        Assert.Equal(TunnelReturnSchedule.Shortest, schedule.NextReturn(waiting: 0, unit: 0));
        Assert.Equal(TunnelReturnSchedule.Shortest, schedule.Spread(waiting: 0));
        Assert.Equal(TunnelReturnSchedule.Longest, schedule.Spread(waiting: 100_000));
        Assert.InRange(schedule.NextReturn(waiting: 100_000, unit: 0.999).TotalSeconds, 29.9, 30);
    }

    /// <summary>Ends <paramref name="count"/> handshakes evenly over <paramref name="over"/> of fake time.</summary>
    private static void EndHandshakes(TunnelReturnSchedule schedule, FakeTimeProvider time, int count, TimeSpan over)
    {
        for (var i = 0; i < count; i++)
        {
            time.Advance(over / count);
            schedule.HandshakeEnded();
        }
    }
}
