using System.CommandLine;
using System.Globalization;
using Teleport.Orleans.Cli.Terminal;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh recordings ls: the recorded sessions (from session.end audit events), newest first.</summary>
internal static class RecordingsCommand
{
    public static Command Create(TshContext context)
    {
        var last = new Option<int>("--last") { Description = "Days back to search", DefaultValueFactory = _ => 7 };
        var ls = new Command("ls", "List recorded sessions") { last };
        ls.SetAction(async (parseResult, cancellationToken) =>
        {
            var login = context.Store.RequireLogin();
            using var web = context.WebClient(login);
            var sessions = await web.ListRecordingsAsync(login.Profile.Cluster, Math.Max(1, parseResult.GetValue(last)), cancellationToken);
            if (sessions.Count == 0)
            {
                await context.Out.WriteLineAsync($"No recorded sessions in the last {Math.Max(1, parseResult.GetValue(last))} days.");
                return 0;
            }

            TextTable.Write(context.Out, ["ID", "Type", "Participants", "Hostname", "Started (UTC)", "Duration"],
                sessions.Select(session => (IReadOnlyList<string>)
                [
                    session.SessionId,
                    "ssh",
                    session.Participants.Count > 0 ? string.Join(", ", session.Participants) : session.User,
                    session.Node,
                    (session.Start ?? session.End)?.UtcDateTime.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "",
                    Duration(session.Duration),
                ]));
            return 0;
        });
        var command = new Command("recordings", "View and control session recordings");
        command.Subcommands.Add(ls);
        return command;
    }

    /// <summary>"42s", "3m05s", "2h07m"; empty when the event does not say.</summary>
    internal static string Duration(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalHours: >= 1 } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h{d.Minutes:D2}m"),
        { TotalMinutes: >= 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}m{d.Seconds:D2}s"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalSeconds}s"),
    };
}
