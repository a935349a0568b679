using System.Globalization;
using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.Recordings;

/// <summary>
/// Plays a recording: output events written with the recorded pauses divided by <see cref="Speed"/>, each pause
/// capped at <see cref="IdleLimit"/> when set (like asciinema's idle time limit), so a long silence does not stall
/// the replay. The delay is injected so tests observe the timing without waiting for it.
/// </summary>
internal sealed class Player(Func<TimeSpan, CancellationToken, Task> delay)
{
    public double Speed { get; init; } = 1;

    public TimeSpan? IdleLimit { get; init; }

    public async Task PlayAsync(Asciicast recording, TextWriter output, CancellationToken cancellationToken)
    {
        var previous = 0.0;
        foreach (var e in recording.Events)
        {
            if (e.Code != "o")
            {
                continue;
            }

            // Measured from the previous output: resizes and markers take no time of their own.
            var gap = TimeSpan.FromSeconds(Math.Max(0, e.Time - previous));
            previous = e.Time;

            if (IdleLimit is { } limit && gap > limit)
            {
                gap = limit;
            }

            gap /= Speed;
            if (gap > TimeSpan.Zero)
            {
                await delay(gap, cancellationToken);
            }

            await output.WriteAsync(e.Data);
            await output.FlushAsync(cancellationToken);
        }
    }

    public static async Task WriteTextAsync(Asciicast recording, TextWriter output)
    {
        foreach (var e in recording.Events.Where(e => e.Code == "o"))
        {
            await output.WriteAsync(e.Data);
        }

        await output.FlushAsync();
    }

    /// <summary>Teleport-like events: <c>{"event":"print","ms":N,"data":"..."}</c> and <c>{"event":"resize","ms":N,"size":"COLS:ROWS"}</c>.</summary>
    public static async Task WriteJsonAsync(Asciicast recording, TextWriter output)
    {
        var events = new List<PlaybackEvent>
        {
            new("session.start", 0, Size: string.Create(CultureInfo.InvariantCulture, $"{recording.Width}:{recording.Height}")),
        };
        foreach (var e in recording.Events)
        {
            var ms = (long)Math.Round(e.Time * 1000);
            events.Add(e.Code switch
            {
                "o" => new PlaybackEvent("print", ms, Data: e.Data),
                "r" => new PlaybackEvent("resize", ms, Size: e.Data.Replace('x', ':')),
                _ => new PlaybackEvent(e.Code, ms, Data: e.Data),
            });
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(events, PlaybackJsonContext.Default.ListPlaybackEvent));
        await output.FlushAsync();
    }
}
