using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl events ls: search the audit log.</summary>
internal static class EventsCommand
{
    public static Command Create(TctlContext context)
    {
        var events = new Command("events", "Search the audit log");
        events.Subcommands.Add(List(context));
        return events;
    }

    private static Command List(TctlContext context)
    {
        var since = Options.Duration("--since", "How far back to search", TimeSpan.FromHours(24));
        var types = Options.List("--type", "Event types to show, comma-separated (e.g. user.login,session.start)");
        var limit = new Option<int>("--limit") { Description = "Most events to show (the newest are kept)", DefaultValueFactory = _ => 500 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--limit must be at least 1");
            }
        });
        var format = Options.Choice("--format", "Output format", "text", "text", "json", "yaml");
        var command = new Command("ls", "List audit events") { since, types, limit, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = new SearchEventsRequest
            {
                From = Timestamp.FromDateTimeOffset(now - since.ValueOf(parseResult)),
                To = Timestamp.FromDateTimeOffset(now),
                Limit = parseResult.GetValue(limit),
                // Newest first, so a limit keeps the latest events; shown oldest first below.
                Descending = true,
            };
            request.EventTypes.AddRange(parseResult.GetValue(types) ?? []);

            using var session = context.Connect(parseResult);
            var response = await session.Client.SearchEventsAsync(request, cancellationToken: cancellationToken);
            var events = response.Events.Select(ParseEvent).Reverse().ToList();
            var output = context.Out(parseResult);
            if (parseResult.GetRequiredValue(format) == "json")
            {
                await output.WriteLineAsync(new JsonArray(events.Select(e => (JsonNode?)e).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else if (parseResult.GetRequiredValue(format) == "yaml")
            {
                await output.WriteAsync(JsonAsYaml.Write(events));
            }
            else if (events.Count == 0)
            {
                await output.WriteLineAsync("No events found.");
            }
            else
            {
                TextTable.Write(output, ["Time", "Type", "Code", "User", "Summary"], events.Select(EventSummary.Row));
            }

            return 0;
        });
        return command;
    }

    private static JsonObject ParseEvent(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? new JsonObject { ["raw"] = json };
        }
        catch (JsonException)
        {
            // One malformed event should not hide the rest.
            return new JsonObject { ["raw"] = json };
        }
    }
}
