using Microsoft.Extensions.Time.Testing;
using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Tests.Tunnels;

/// <summary>
/// Agents the proxy turns away after a restart are each told a moment to come back, spread at the rate the proxy gets
/// through handshakes, so their returns do not pile up again.
/// </summary>
public sealed class TunnelReturnScheduleTests
{
    [Fact]
    public void Agents_turned_away_are_told_successive_moments_at_the_measured_handshake_rate()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(4, time);
        EndHandshakes(schedule, time, count: 200, over: TimeSpan.FromSeconds(2));

        var rate = schedule.Rate;
        var told = rate * TunnelReturnSchedule.Overbooking;
        var waits = Enumerable.Range(0, 1000).Select(_ => schedule.NextReturn(waiting: 0).TotalSeconds).ToList();

        // About 100 handshakes a second, told 125: the 1,000th agent comes back about 8 s on, each 8 ms after the one before.
        Assert.InRange(rate, 99, 102);
        Assert.Equal(1000 / told, waits[^1], 3);
        Assert.Equal(1 / told, waits[^1] - waits[^2], 6);
        Assert.Equal(waits.Order(), waits);
    }

    [Fact]
    public void Agents_waiting_in_line_come_before_the_ones_turned_away()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(4, time);
        EndHandshakes(schedule, time, count: 200, over: TimeSpan.FromSeconds(2));
        var told = schedule.Rate * TunnelReturnSchedule.Overbooking;

        Assert.Equal(501 / told, schedule.NextReturn(waiting: 500).TotalSeconds, 3);
    }

    [Fact]
    public void Moments_that_came_due_no_longer_delay_the_agents_turned_away_after()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(4, time);
        EndHandshakes(schedule, time, count: 200, over: TimeSpan.FromSeconds(2));
        for (var i = 0; i < 1000; i++)
        {
            schedule.NextReturn(waiting: 0);
        }

        // 3 s later, still at 100 a second (told 125): 375 of the 1,000 came due, 625 are still ahead of the next.
        EndHandshakes(schedule, time, count: 300, over: TimeSpan.FromSeconds(3));

        Assert.InRange(schedule.NextReturn(waiting: 0).TotalSeconds, 4.9, 5.1);
    }

    [Fact]
    public void Before_any_handshake_ended_the_rate_assumed_is_eight_a_second_per_place()
    {
        var schedule = new TunnelReturnSchedule(8, new FakeTimeProvider());

        var waits = Enumerable.Range(0, 160).Select(_ => schedule.NextReturn(waiting: 0)).ToList();

        // 64 a second, told 80: the 160th agent 2 s on.
        Assert.Equal(64, schedule.Rate);
        Assert.Equal(TunnelReturnSchedule.Shortest, waits[0]);
        Assert.Equal(2.0, waits[^1].TotalSeconds, 3);
    }

    [Fact]
    public void A_proxy_slower_than_assumed_is_taken_at_its_measured_rate_after_the_first_window()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(32, time);
        EndHandshakes(schedule, time, count: 20, over: TimeSpan.FromSeconds(2));
        Assert.Equal(256, schedule.Rate);

        EndHandshakes(schedule, time, count: 30, over: TimeSpan.FromSeconds(3));

        Assert.InRange(schedule.Rate, 9, 11);
    }

    [Fact]
    public void The_rate_follows_the_last_seconds_not_the_whole_history()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(32, time);
        EndHandshakes(schedule, time, count: 1000, over: TimeSpan.FromSeconds(2));

        EndHandshakes(schedule, time, count: 50, over: TimeSpan.FromSeconds(5));

        Assert.InRange(schedule.Rate, 8, 12);
    }

    [Fact]
    public void Waits_are_never_shorter_than_a_second_nor_longer_than_a_minute()
    {
        var time = new FakeTimeProvider();
        var schedule = new TunnelReturnSchedule(1, time);
        EndHandshakes(schedule, time, count: 10, over: TimeSpan.FromSeconds(4));

        var first = schedule.NextReturn(waiting: 0);
        var crowded = schedule.NextReturn(waiting: 100_000);

        Assert.Equal(TunnelReturnSchedule.Shortest, first);
        Assert.Equal(TunnelReturnSchedule.Longest, crowded);
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
