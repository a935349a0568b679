using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh recordings ls: the recorded sessions (from session.end audit events).</summary>
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
            var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "Type", "Participants", "Hostname", "Timestamp");
            foreach (var session in sessions)
            {
                var participants = session.Participants.Count > 0 ? string.Join(", ", session.Participants) : session.User;
                var time = session.Start?.UtcDateTime.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
                table.AddRow(Markup.Escape(session.SessionId), "ssh", Markup.Escape(participants), Markup.Escape(session.Node), time);
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            console.Profile.Width = 200;
            console.Write(table);
            return 0;
        });
        var command = new Command("recordings", "View and control session recordings");
        command.Subcommands.Add(ls);
        return command;
    }
}
