using System.Text;
using Teleport.Orleans.Cli.Tsh.Sessions;

namespace Teleport.Orleans.Tsh.Tests.Sessions;

public sealed class EscapeFilterTests
{
    [Fact]
    public void Tilde_dot_at_the_start_disconnects()
    {
        var steps = new EscapeFilter((byte)'~').Filter("~."u8);

        Assert.Equal([EscapeStep.Run(EscapeCommand.Disconnect)], steps);
    }

    [Fact]
    public void Text_typed_before_an_escape_after_a_newline_is_sent_first()
    {
        var steps = new EscapeFilter((byte)'~').Filter("ls\r~?"u8);

        Assert.Equal("ls\r", Encoding.ASCII.GetString(steps[0].Data));
        Assert.Equal(EscapeCommand.Help, steps[1].Command);
    }

    [Fact]
    public void A_tilde_inside_a_line_is_plain_text()
    {
        Assert.Equal("cd ~.", Sent(new EscapeFilter((byte)'~'), "cd ~."));
    }

    [Fact]
    public void Tilde_tilde_sends_one_tilde_and_tilde_with_another_character_sends_both()
    {
        var filter = new EscapeFilter((byte)'~');

        Assert.Equal("~x\r~/a", Sent(filter, "~~x\r~/a"));
    }

    [Fact]
    public void An_escape_split_across_reads_is_still_recognised()
    {
        var filter = new EscapeFilter((byte)'~');

        Assert.Empty(filter.Filter("~"u8));
        Assert.Equal([EscapeStep.Run(EscapeCommand.Disconnect)], filter.Filter("."u8));
    }

    [Fact]
    public void Ctrl_z_after_the_escape_suspends()
    {
        var steps = new EscapeFilter((byte)'~').Filter("\n~\u001a"u8);

        Assert.Equal(EscapeCommand.Suspend, steps[^1].Command);
    }

    [Fact]
    public void Another_escape_may_follow_a_command_at_once()
    {
        var steps = new EscapeFilter((byte)'~').Filter("~?~."u8);

        Assert.Equal([EscapeCommand.Help, EscapeCommand.Disconnect], steps.Select(s => s.Command));
    }

    [Fact]
    public void With_escapes_off_everything_is_sent()
    {
        Assert.Equal("~.", Sent(new EscapeFilter(null), "~."));
    }

    [Fact]
    public void Another_escape_character_replaces_the_tilde()
    {
        var filter = new EscapeFilter(0x1d);

        Assert.Equal("~.", Sent(filter, "~."));
        Assert.Equal(EscapeCommand.Disconnect, filter.Filter("\r\u001d."u8)[^1].Command);
        Assert.Contains("^].", filter.Help());
    }

    private static string Sent(EscapeFilter filter, string typed) =>
        string.Concat(filter.Filter(Encoding.ASCII.GetBytes(typed)).Where(s => s.Command == EscapeCommand.None).Select(s => Encoding.ASCII.GetString(s.Data)));
}
