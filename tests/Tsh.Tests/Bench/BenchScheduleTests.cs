using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Bench;

namespace Teleport.Orleans.Tsh.Tests.Bench;

public sealed class BenchScheduleTests
{
    [Fact]
    public void Twenty_a_second_for_two_seconds_is_forty_sessions_fifty_milliseconds_apart()
    {
        var schedule = new BenchSchedule(20, TimeSpan.FromSeconds(2));

        Assert.Equal(40, schedule.Count);
        Assert.Equal(TimeSpan.Zero, schedule.StartOf(0));
        Assert.Equal(TimeSpan.FromMilliseconds(50), schedule.StartOf(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1950), schedule.StartOf(39));
    }

    [Fact]
    public void Sessions_fall_due_by_the_clock_alone_so_a_late_look_starts_every_one_that_is_due()
    {
        var schedule = new BenchSchedule(100, TimeSpan.FromSeconds(1));

        Assert.Equal(0, schedule.DueBy(TimeSpan.FromMilliseconds(-1)));
        Assert.Equal(1, schedule.DueBy(TimeSpan.Zero));
        Assert.Equal(1, schedule.DueBy(TimeSpan.FromMilliseconds(9.9)));
        Assert.Equal(2, schedule.DueBy(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(51, schedule.DueBy(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(100, schedule.DueBy(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_run_shorter_than_one_interval_still_starts_one_session()
    {
        Assert.Equal(1, new BenchSchedule(1, TimeSpan.FromMilliseconds(100)).Count);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(10, 0)]
    public void A_rate_or_duration_that_is_not_positive_is_one_error_sentence(double rate, double seconds)
    {
        var error = Assert.Throws<TshException>(() => new BenchSchedule(rate, TimeSpan.FromSeconds(seconds)));

        Assert.Matches("^--(rate|duration) must be ", error.Message);
    }
}
