using System.CommandLine;
using System.Text;
using Teleport.Orleans.Cli.Tsh.Recordings;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh play SESSION_ID|FILE: replays a recorded session in the terminal, or prints it as JSON or text.</summary>
internal static class PlayCommand
{
    public static Command Create(TshContext context)
    {
        var session = new Argument<string>("session-id") { Description = "ID of the session to play, or a local asciicast file" };
        var speed = new Option<double>("--speed") { Description = "Playback speed: 2 is twice as fast, 0.5 half", DefaultValueFactory = _ => 1 };
        var format = new Option<string>("--format", "-f") { Description = "pty (replay with timing), json (events) or text (output only)", DefaultValueFactory = _ => "pty" };
        format.AcceptOnlyFromAmong("pty", "json", "text");
        var idle = new Option<double>("--idle-limit") { Description = "Longest pause replayed, in seconds (0: as recorded)", DefaultValueFactory = _ => 0 };
        var command = new Command("play", "Replay the recorded session") { session, speed, format, idle };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var rate = parseResult.GetValue(speed);
            if (!(rate > 0) || double.IsInfinity(rate))
            {
                throw new TshException("--speed must be a positive number.");
            }

            var id = parseResult.GetValue(session)!;
            var recording = Asciicast.Parse(await LoadAsync(context, id, cancellationToken));
            switch (Enum.Parse<PlaybackFormat>(parseResult.GetValue(format)!, ignoreCase: true))
            {
                case PlaybackFormat.Json:
                    await Player.WriteJsonAsync(recording, context.Out);
                    break;
                case PlaybackFormat.Text:
                    await Player.WriteTextAsync(recording, context.Out);
                    break;
                default:
                    var limit = parseResult.GetValue(idle);
                    await new Player(context.Delay) { Speed = rate, IdleLimit = limit > 0 ? TimeSpan.FromSeconds(limit) : null }
                        .PlayAsync(recording, context.Out, cancellationToken);
                    break;
            }

            return 0;
        });
        return command;
    }

    private static async Task<string> LoadAsync(TshContext context, string id, CancellationToken cancellationToken)
    {
        if (File.Exists(id))
        {
            return await File.ReadAllTextAsync(id, cancellationToken);
        }

        var login = context.Store.RequireLogin();
        using var web = context.WebClient(login);
        return Encoding.UTF8.GetString(await web.DownloadRecordingAsync(login.Profile.Cluster, id, cancellationToken));
    }
}
