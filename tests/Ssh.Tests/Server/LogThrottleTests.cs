using Microsoft.Extensions.Time.Testing;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Ssh.Tests.Server;

public sealed class LogThrottleTests
{
    [Fact]
    public void A_flood_from_one_source_writes_ten_lines_a_minute_and_the_next_minute_says_how_many_were_held_back()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time);

        var allowed = Enumerable.Range(0, 250).Count(_ => throttle.Allow("192.0.2.7", out _));
        time.Advance(LogThrottle.Interval);
        var next = throttle.Allow("192.0.2.7", out var heldBack);

        Assert.Equal(LogThrottle.LinesPerInterval, allowed);
        Assert.True(next);
        Assert.Equal(240, heldBack);
    }

    [Fact]
    public void Another_source_is_not_held_back_by_a_flood_from_the_first()
    {
        var throttle = new LogThrottle(new FakeTimeProvider());
        for (var i = 0; i < 100; i++)
        {
            throttle.Allow("192.0.2.7", out _);
        }

        Assert.True(throttle.Allow("198.51.100.1", out var heldBack));
        Assert.Equal(0, heldBack);
    }

    [Theory]
    [InlineData("192.0.2.7:51000", "192.0.2.7")]
    [InlineData("[2001:db8::1]:22", "2001:db8::1")]
    [InlineData("unknown", "unknown")]
    public void A_source_is_its_address_whatever_the_port(string remote, string source) =>
        Assert.Equal(source, LogThrottle.SourceOf(remote));
}
