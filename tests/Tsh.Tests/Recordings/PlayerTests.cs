using System.Text.Json;
using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Recordings;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.Recordings;

public sealed class PlayerTests
{
    private const string Cast = """
        {"version": 2, "width": 80, "height": 24, "timestamp": 1700000000}
        [0.5, "o", "$ "]
        [1.5, "o", "ls\r\n"]
        [2.0, "r", "100x30"]
        [11.5, "o", "file.txt\r\n"]
        """;

    [Fact]
    public async Task Play_writes_the_output_with_the_recorded_pauses_divided_by_the_speed()
    {
        using var home = new TempDirectory();
        var cast = home.Write("session.cast", Cast);
        var tsh = new TshRun(home.Path);

        var result = await tsh.RunAsync("play", cast, "--speed", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("$ ls\r\nfile.txt\r\n", result.Output);
        Assert.Equal([TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5)], tsh.Delays);
    }

    [Fact]
    public async Task An_idle_limit_caps_long_pauses()
    {
        using var home = new TempDirectory();
        var cast = home.Write("session.cast", Cast);
        var tsh = new TshRun(home.Path);

        await tsh.RunAsync("play", cast, "--idle-limit", "2");

        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], tsh.Delays);
    }

    [Fact]
    public async Task Json_format_lists_print_and_resize_events_with_millisecond_offsets()
    {
        using var home = new TempDirectory();
        var cast = home.Write("session.cast", Cast);

        var result = await new TshRun(home.Path).RunAsync("play", cast, "--format", "json");

        using var events = JsonDocument.Parse(result.Output);
        var list = events.RootElement.EnumerateArray().ToList();
        Assert.Equal(["session.start", "print", "print", "resize", "print"], list.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal([0L, 500, 1500, 2000, 11500], list.Select(e => e.GetProperty("ms").GetInt64()));
        Assert.Equal("ls\r\n", list[2].GetProperty("data").GetString());
        Assert.Equal("100:30", list[3].GetProperty("size").GetString());
    }

    [Fact]
    public async Task Text_format_prints_the_output_at_once()
    {
        using var home = new TempDirectory();
        var cast = home.Write("session.cast", Cast);
        var tsh = new TshRun(home.Path);

        var result = await tsh.RunAsync("play", cast, "--format", "text");

        Assert.Equal("$ ls\r\nfile.txt\r\n", result.Output);
        Assert.Empty(tsh.Delays);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\": 1}")]
    [InlineData("{\"version\": 2}\n[1.0, \"o\"]")]
    public void A_damaged_recording_is_a_clear_error(string text)
    {
        var error = Assert.Throws<TshException>(() => Asciicast.Parse(text));

        Assert.Contains("recording", error.Message);
    }

    [Fact]
    public async Task A_speed_of_zero_is_refused()
    {
        using var home = new TempDirectory();
        var cast = home.Write("session.cast", Cast);

        var result = await new TshRun(home.Path).RunAsync("play", cast, "--speed", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--speed must be a positive number", result.Error);
    }
}
