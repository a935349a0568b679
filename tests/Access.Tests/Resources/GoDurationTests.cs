using Teleport.Orleans.Access.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

/// <summary>The one Go duration parser and formatter, shared by teleport.yaml, resources and tctl options.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30h", 30 * 3600.0)]
    [InlineData("1h30m15s", 5415.0)]
    [InlineData("90m", 5400.0)]
    [InlineData("250ms", 0.25)]
    [InlineData("1500us", 0.0015)]
    [InlineData("1500\u00b5s", 0.0015)]
    [InlineData("0s", 0.0)]
    [InlineData("+5s", 5.0)]
    [InlineData("-5s", -5.0)]
    public void Go_durations_are_parsed(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-0", 0)]
    [InlineData("0.5h", 1_800_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("12h", 43_200_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("300ms", 300)]
    [InlineData("-1.5s", -1_500)]
    [InlineData("+2m", 120_000)]
    [InlineData("1h0m0s", 3_600_000)]
    [InlineData(".5s", 500)]
    [InlineData("1.s", 1_000)]
    [InlineData("2h45m30.5s", 9_930_500)]
    public void Go_durations_parse_to_the_same_length(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse(text));
    }

    [Theory]
    [InlineData("1us", 10)]
    [InlineData("1µs", 10)]
    [InlineData("1μs", 10)]
    [InlineData("1500ns", 15)]
    [InlineData("99ns", 0)]
    public void Sub_millisecond_units_parse_to_ticks(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), GoDuration.Parse(text));
    }

    [Theory]
    [InlineData("", "empty duration")]
    [InlineData("30", "missing unit")]
    [InlineData("5 minutes", "unknown unit ' minutes'")]
    [InlineData("1d", "unknown unit 'd'")]
    [InlineData("1h 30m", "unknown unit 'h '")]
    [InlineData("h", "expected a number")]
    [InlineData("s", "invalid duration")]
    [InlineData(".s", "invalid duration")]
    [InlineData("-", "invalid duration")]
    [InlineData("1.2.3s", "invalid number")]
    [InlineData("1h-30m", "unknown unit 'h-'")]
    [InlineData("3000000h", "out of range")]
    [InlineData("9999999999999999999h", "too large")]
    [InlineData("2562048h", "too large")]
    [InlineData("2562047h47m16.854775808s", "too large")]
    [InlineData("1e3s", "unknown unit 'e'")]
    [InlineData("1..5h", "invalid number")]
    [InlineData("1s2", "missing unit")]
    [InlineData("ms", "expected a number")]
    [InlineData("+", "invalid duration")]
    public void Malformed_durations_are_rejected_with_a_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(GoDuration.TryParse(text, out _));
        Assert.False(GoDuration.TryParse(text, out _, out var reasonGiven));
        Assert.Equal(error.Message, reasonGiven);
    }

    [Theory]
    [InlineData("2562047h", false)]
    [InlineData("-2562047h", true)]
    [InlineData("2562047h47m16.854775807s", false)]
    [InlineData("-2562047h47m16.854775808s", true)]
    public void Durations_up_to_go_limit_are_accepted(string text, bool negative)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(negative, value < TimeSpan.Zero);
        Assert.True(value.Duration() >= TimeSpan.FromHours(2562047));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(5_400_000, "1h30m0s")]
    [InlineData(43_200_000, "12h0m0s")]
    [InlineData(108_000_000, "30h0m0s")]
    [InlineData(250, "250ms")]
    [InlineData(-90_000, "-1m30s")]
    [InlineData(5_400_500, "1h30m0.5s")]
    [InlineData(1, "1ms")]
    [InlineData(61_000, "1m1s")]
    [InlineData(3_601_000, "1h0m1s")]
    [InlineData(-1_500, "-1.5s")]
    public void Durations_format_like_go(long milliseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Formatting_sub_millisecond_values_uses_go_units()
    {
        Assert.Equal("1.5µs", GoDuration.Format(TimeSpan.FromTicks(15)));
        Assert.Equal("100ns", GoDuration.Format(TimeSpan.FromTicks(1)));
    }

    [Theory]
    [InlineData("1m30s")]
    [InlineData("12h0m0s")]
    [InlineData("1.25s")]
    [InlineData("750ms")]
    public void Formatted_durations_parse_back(string text)
    {
        Assert.Equal(text, GoDuration.Format(GoDuration.Parse(text)));
    }
}
