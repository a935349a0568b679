using Teleport.Orleans.Cli.Tsh.Bench;

namespace Teleport.Orleans.Tsh.Tests.Bench;

public sealed class LatencyPercentilesTests
{
    private static LatencyPercentiles OneToThousandMilliseconds() =>
        new(Enumerable.Range(1, 1000).Reverse().Select(ms => TimeSpan.FromMilliseconds(ms)));

    [Theory]
    [InlineData(50, 500)]
    [InlineData(90, 900)]
    [InlineData(99, 990)]
    [InlineData(99.9, 999)]
    [InlineData(100, 1000)]
    public void Each_percentile_is_the_measured_latency_at_its_nearest_rank(double percentile, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), OneToThousandMilliseconds().At(percentile));
    }

    [Fact]
    public void With_few_samples_the_high_percentiles_are_the_slowest_session()
    {
        var percentiles = new LatencyPercentiles([TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)]);

        Assert.Equal(TimeSpan.FromMilliseconds(20), percentiles.At(50));
        Assert.Equal(TimeSpan.FromMilliseconds(30), percentiles.At(99.9));
        Assert.Equal(TimeSpan.FromMilliseconds(30), percentiles.Max);
    }

    [Fact]
    public void No_samples_have_no_percentiles()
    {
        var percentiles = new LatencyPercentiles([]);

        Assert.Null(percentiles.At(50));
        Assert.Null(percentiles.Max);
    }
}
