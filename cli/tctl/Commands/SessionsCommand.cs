using System.CommandLine;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl sessions ls: the sessions running now, from the nodes' session trackers.</summary>
internal static class SessionsCommand
{
    public static Command Create(TctlContext context)
    {
        var sessions = new Command("sessions", "Operate on active sessions");
        sessions.Subcommands.Add(List(context));
        return sessions;
    }

    private static Command List(TctlContext context)
    {
        var format = Options.Choice("--format", "Output format", "text", "text", "json", "yaml");
        var command = new Command("ls", "List active sessions") { format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var output = context.Out(parseResult);
            if (await ResourceListing.TryWrite(session, output, "session_tracker", parseResult.GetRequiredValue(format), cancellationToken))
            {
                return 0;
            }

            var response = await session.Client.ListSessionTrackersAsync(new ListSessionTrackersRequest(), cancellationToken: cancellationToken);
            if (response.Sessions.Count == 0)
            {
                await output.WriteLineAsync("No active sessions.");
                return 0;
            }

            TextTable.Write(
                output,
                ["ID", "Kind", "User", "Login", "Node", "Created"],
                response.Sessions.Select(s => (IReadOnlyList<string>)
                [
                    s.SessionId,
                    s.Kind,
                    s.User,
                    s.Login,
                    s.Hostname.Length > 0 ? s.Hostname : s.NodeId,
                    s.Created is null ? "" : TimeText.Rfc822(s.Created.ToDateTimeOffset()),
                ]));
            return 0;
        });
        return command;
    }
}
