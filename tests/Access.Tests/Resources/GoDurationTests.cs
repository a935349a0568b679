using Teleport.Orleans.Access.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30h", 30 * 3600.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("1h30m15s", 5415.0)]
    [InlineData("90m", 5400.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData(".5s", 0.5)]
    [InlineData("250ms", 0.25)]
    [InlineData("1500us", 0.0015)]
    [InlineData("1500\u00b5s", 0.0015)]
    [InlineData("0", 0.0)]
    [InlineData("0s", 0.0)]
    [InlineData("+5s", 5.0)]
    [InlineData("-5s", -5.0)]
    public void Go_durations_are_parsed(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("1h 30m")]
    [InlineData("1.2.3s")]
    [InlineData("-")]
    [InlineData("3000000h")]
    public void Malformed_durations_are_refused(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData(30 * 3600.0, "30h0m0s")]
    [InlineData(5400.0, "1h30m0s")]
    [InlineData(90.0, "1m30s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(0.25, "250ms")]
    [InlineData(0.0000015, "1.5\u00b5s")]
    [InlineData(0.0, "0s")]
    [InlineData(-90.0, "-1m30s")]
    public void Durations_are_written_as_go_does(double seconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Sub_microsecond_durations_are_written_in_nanoseconds()
    {
        Assert.Equal("100ns", GoDuration.Format(TimeSpan.FromTicks(1)));
    }
}
