using System.Text;
using Teleport.Orleans.Agent.SharedSessions;

namespace Teleport.Orleans.Agent.Tests.SharedSessions;

public sealed class ScreenReplayTests
{
    private static string Replay(params string[] chunks)
    {
        var replay = new ScreenReplay();
        foreach (var chunk in chunks)
        {
            replay.Append(Encoding.UTF8.GetBytes(chunk));
        }

        return Encoding.UTF8.GetString(replay.Snapshot());
    }

    [Fact]
    public void Output_before_a_clear_screen_is_not_replayed()
    {
        Assert.Equal("\u001b[2Jnew screen", Replay("old lines\r\n", "\u001b[H\u001b[2J", "new screen"));
    }

    [Fact]
    public void A_clear_screen_split_across_chunks_is_found()
    {
        Assert.Equal("\u001b[2Jafter", Replay("before\u001b[", "2Jafter"));
    }

    [Fact]
    public void A_full_screen_program_is_replayed_on_the_alternate_screen_over_the_shell_screen()
    {
        var replay = Replay("$ vim\r\n", "\u001b[?1049h", "editor contents");

        Assert.Equal("$ vim\r\n\u001b[?1049heditor contents", replay);
    }

    [Fact]
    public void Leaving_the_alternate_screen_replays_the_shell_screen_and_what_followed()
    {
        Assert.Equal("$ vim\r\n$ next", Replay("$ vim\r\n\u001b[?1049hediting\u001b[?1049l", "$ next"));
    }

    [Fact]
    public void A_long_session_keeps_a_bounded_tail_cut_at_a_line()
    {
        var replay = new ScreenReplay();
        var line = Encoding.ASCII.GetBytes(new string('x', 99) + "\n");
        for (var i = 0; i < 5000; i++)
        {
            replay.Append(line);
        }

        var kept = replay.Snapshot();
        Assert.InRange(kept.Length, ScreenReplay.Capacity / 4, ScreenReplay.Capacity);
        Assert.Equal(0, kept.Length % 100);
    }
}
