using System.CommandLine;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl tokens add|ls|rm: join tokens for nodes and proxies.</summary>
internal static class TokensCommand
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(30);

    public static Command Create(TctlContext context)
    {
        var tokens = new Command("tokens", "List or revoke invitation tokens");
        tokens.Subcommands.Add(Add(context));
        tokens.Subcommands.Add(List(context));
        tokens.Subcommands.Add(Remove(context));
        return tokens;
    }

    private static Command Add(TctlContext context)
    {
        var type = Options.List("--type", "Type(s) of token to add: node, proxy, app (comma-separated)", required: true);
        var ttl = Options.Duration("--ttl", "Time to live of the token", DefaultTtl);
        var value = new Option<string?>("--value") { Description = "Use this token value instead of a generated one" };
        var labels = Options.List("--labels", "Labels for the joining host, key=value comma-separated");
        var command = new Command("add", "Create an invitation token") { type, ttl, value, labels };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var lifetime = ttl.ValueOf(parseResult);
            var request = new CreateJoinTokenRequest
            {
                TtlSeconds = (long)Math.Ceiling(lifetime.TotalSeconds),
                Name = parseResult.GetValue(value)?.Trim() ?? "",
            };
            request.Roles.AddRange(parseResult.GetRequiredValue(type).Select(r => r.ToLowerInvariant()));
            foreach (var (key, labelValue) in ParseLabels(parseResult.GetValue(labels) ?? []))
            {
                request.Labels[key] = labelValue;
            }

            var response = await session.Client.CreateJoinTokenAsync(request, cancellationToken: cancellationToken);
            TokenMessages.WriteJoinInstructions(context.Out(parseResult), response, session.AuthServer, lifetime);
            return 0;
        });
        return command;
    }

    private static Command List(TctlContext context)
    {
        var format = Options.Choice("--format", "Output format", "text", "text", "json", "yaml");
        var command = new Command("ls", "List invitation tokens") { format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            if (await ResourceListing.TryWrite(session, context.Out(parseResult), "token", parseResult.GetRequiredValue(format), cancellationToken))
            {
                return 0;
            }

            var response = await session.Client.ListJoinTokensAsync(new ListJoinTokensRequest(), cancellationToken: cancellationToken);
            var output = context.Out(parseResult);
            if (response.Tokens.Count == 0)
            {
                await output.WriteLineAsync("No active tokens found.");
                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            TextTable.Write(
                output,
                ["Token", "Type", "Labels", "Expiry Time (UTC)"],
                response.Tokens.OrderBy(t => t.Expires?.ToDateTimeOffset()).Select(t => (IReadOnlyList<string>)
                [
                    t.Name,
                    string.Join(",", t.Roles.Select(TokenMessages.RoleTitle)),
                    string.Join(",", t.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
                    t.Expires is null ? "never" : TimeText.ExpiryWithRemaining(t.Expires.ToDateTimeOffset(), now),
                ]));
            return 0;
        });
        return command;
    }

    private static Command Remove(TctlContext context)
    {
        var token = new Argument<string>("token") { Description = "Token to delete" };
        var command = new Command("rm", "Delete an invitation token") { token };
        command.Aliases.Add("del");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var name = parseResult.GetRequiredValue(token);
            await session.Client.DeleteJoinTokenAsync(new DeleteJoinTokenRequest { Name = name }, cancellationToken: cancellationToken);
            await context.Out(parseResult).WriteLineAsync($"Token {name} has been deleted");
            return 0;
        });
        return command;
    }

    private static IEnumerable<(string Key, string Value)> ParseLabels(IEnumerable<string> pairs)
    {
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw new TctlException($"invalid label \"{pair}\": expected key=value");
            }

            yield return (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
        }
    }
}
