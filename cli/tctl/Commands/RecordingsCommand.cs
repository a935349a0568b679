using System.CommandLine;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl recordings ls: recorded sessions, from the session.end events of the audit log (newest first).</summary>
internal static class RecordingsCommand
{
    public static Command Create(TctlContext context)
    {
        var recordings = new Command("recordings", "View and control session recordings");
        recordings.Subcommands.Add(List(context));
        return recordings;
    }

    private static Command List(TctlContext context)
    {
        var since = Options.Duration("--since", "How far back to list", TimeSpan.FromDays(30));
        var limit = new Option<int>("--last") { Description = "Most recordings to show", DefaultValueFactory = _ => 50 };
        var format = Options.Choice("--format", "Output format", "text", "text", "json");
        var command = new Command("ls", "List recorded sessions") { since, limit, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var now = DateTimeOffset.UtcNow;
            var response = await session.Client.ListRecordingsAsync(new ListRecordingsRequest
            {
                From = Timestamp.FromDateTimeOffset(now - since.ValueOf(parseResult)),
                To = Timestamp.FromDateTimeOffset(now),
                Limit = Math.Max(1, parseResult.GetValue(limit)),
            }, cancellationToken: cancellationToken);
            var output = context.Out(parseResult);
            if (parseResult.GetRequiredValue(format) == "json")
            {
                await output.WriteLineAsync(new JsonArray([.. response.SessionEndEvents.Select(e => JsonNode.Parse(e))]).ToJsonString(new() { WriteIndented = true }));
                return 0;
            }

            TextTable.Write(
                output,
                ["ID", "Type", "Participants", "Hostname", "Timestamp"],
                response.SessionEndEvents.Select(text =>
                {
                    var e = JsonNode.Parse(text)?.AsObject() ?? [];
                    var participants = e["participants"] is JsonArray list ? string.Join(", ", list.Select(p => p?.ToString())) : Text(e, "user");
                    var start = Text(e, "session_start");
                    return (IReadOnlyList<string>)[Text(e, "sid"), "ssh", participants, Text(e, "server_hostname"), start.Length > 0 ? start : Text(e, "time")];
                }));
            return 0;
        });
        return command;
    }

    private static string Text(JsonObject e, string key) => e[key] is JsonValue value ? value.ToString() : "";
}
