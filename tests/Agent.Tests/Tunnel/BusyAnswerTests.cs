using Teleport.Orleans.Agent.Tunnel;

namespace Teleport.Orleans.Agent.Tests.Tunnel;

/// <summary>The proxy's busy answer, with or without the moment it gives the agent to dial again.</summary>
public sealed class BusyAnswerTests
{
    [Fact]
    public void Busy_answer_with_a_wait_gives_that_wait()
    {
        Assert.True(BusyAnswer.TryParse("teleport-tunnel/1 busy retry-after=12.5", out var retryAfter));

        Assert.Equal(TimeSpan.FromSeconds(12.5), retryAfter);
    }

    [Fact]
    public void Busy_answer_of_an_older_proxy_has_no_wait()
    {
        Assert.True(BusyAnswer.TryParse("teleport-tunnel/1 busy", out var retryAfter));

        Assert.Null(retryAfter);
    }

    [Theory]
    [InlineData("teleport-tunnel/1 busy retry-after=soon")]
    [InlineData("teleport-tunnel/1 busy retry-after=-3")]
    [InlineData("teleport-tunnel/1 busy retry-after=0")]
    [InlineData("teleport-tunnel/1 busy retry-after=86400")]
    public void Busy_answer_with_a_wait_that_makes_no_sense_is_still_busy_but_the_wait_is_ignored(string line)
    {
        Assert.True(BusyAnswer.TryParse(line, out var retryAfter));

        Assert.Null(retryAfter);
    }

    [Theory]
    [InlineData("ssh-ed25519-cert-v01@openssh.com AAAA proxy")]
    [InlineData("teleport-tunnel/1 busyness")]
    [InlineData("")]
    public void Other_lines_are_not_the_busy_answer(string line)
    {
        Assert.False(BusyAnswer.TryParse(line, out _));
    }
}
