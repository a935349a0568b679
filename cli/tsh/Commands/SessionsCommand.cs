using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh sessions ls: the running sessions the user may see, with the modes <c>tsh join</c> would accept.</summary>
internal static class SessionsCommand
{
    public static Command Create(TshContext context)
    {
        var ls = new Command("ls", "List active sessions you may join");
        ls.SetAction(async (parseResult, cancellationToken) =>
        {
            var login = context.Store.RequireLogin();
            using var web = context.WebClient(login);
            var sessions = await web.ListActiveSessionsAsync(login.Profile.Cluster, cancellationToken);
            if (sessions.Count == 0)
            {
                await context.Out.WriteLineAsync("No active sessions you may join.");
                return 0;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("ID", "Kind", "User", "Participants", "Hostname", "Login", "Started (UTC)", "Join modes");
            foreach (var session in sessions.OrderByDescending(s => s.Created))
            {
                table.AddRow(
                    Markup.Escape(session.Id),
                    Markup.Escape(session.Kind),
                    Markup.Escape(session.Owner),
                    Markup.Escape(string.Join(", ", session.Participants)),
                    Markup.Escape(session.Hostname.Length > 0 ? session.Hostname : session.NodeId),
                    Markup.Escape(session.Login),
                    session.Created?.UtcDateTime.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape(session.Modes.Count > 0 ? string.Join(", ", session.Modes) : "(none)"));
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            console.Profile.Width = 200;
            console.Write(table);
            return 0;
        });
        var command = new Command("sessions", "View active sessions");
        command.Subcommands.Add(ls);
        return command;
    }
}
