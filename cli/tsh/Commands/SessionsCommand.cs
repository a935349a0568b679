using System.CommandLine;
using System.Globalization;
using Teleport.Orleans.Cli.Terminal;

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

            TextTable.Write(context.Out, ["ID", "Kind", "User", "Participants", "Hostname", "Login", "Started (UTC)", "Join modes"],
                sessions.OrderByDescending(s => s.Created).Select(session => (IReadOnlyList<string>)
                [
                    session.Id,
                    session.Kind,
                    session.Owner,
                    string.Join(", ", session.Participants),
                    session.Hostname.Length > 0 ? session.Hostname : session.NodeId,
                    session.Login,
                    session.Created?.UtcDateTime.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "",
                    session.Modes.Count > 0 ? string.Join(", ", session.Modes) : "(none)",
                ]));
            return 0;
        });
        var command = new Command("sessions", "View active sessions");
        command.Subcommands.Add(ls);
        return command;
    }
}
