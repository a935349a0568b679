using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Bench;

namespace Teleport.Orleans.Tsh.Tests.Bench;

public sealed class BenchDurationTests
{
    [Theory]
    [InlineData("2s", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    public void Durations_are_read_as_teleports_flags_take_them(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), BenchDuration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("ten seconds")]
    [InlineData("5x")]
    public void Anything_else_is_one_error_sentence(string text)
    {
        var error = Assert.Throws<TshException>(() => BenchDuration.Parse(text));

        Assert.Equal($"'{text}' is not a duration: expected a number with a unit, e.g. 10s, 500ms, 1m30s.", error.Message);
    }
}
