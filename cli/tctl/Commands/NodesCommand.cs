using System.CommandLine;
using Teleport.Orleans.Cli.Tctl.Connection;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl nodes ls|add: the cluster's SSH nodes, and join tokens for new ones.</summary>
internal static class NodesCommand
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(30);

    // Pages keep each reply small however many nodes there are.
    private const int PageSize = 1000;

    public static Command Create(TctlContext context)
    {
        var nodes = new Command("nodes", "Issue invites for other nodes to join the cluster, list nodes");
        nodes.Subcommands.Add(List(context));
        nodes.Subcommands.Add(Add(context));
        return nodes;
    }

    private static Command List(TctlContext context)
    {
        var labels = new Argument<string?>("labels") { Description = "List of comma separated labels to filter by labels (e.g. key1=value1,key2=value2)", Arity = ArgumentArity.ZeroOrOne };
        var search = new Option<string?>("--search") { Description = "List of comma separated search keywords or phrases enclosed in quotations" };
        var format = Options.Choice("--format", "Output format", "text", "text", "json", "yaml");
        var command = new Command("ls", "List all active SSH nodes within the cluster") { labels, search, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var output = context.Out(parseResult);
            if (await ResourceListing.TryWrite(session, output, "node", parseResult.GetRequiredValue(format), cancellationToken))
            {
                return 0;
            }

            var request = new ListNodesRequest { Limit = PageSize, Search = (parseResult.GetValue(search) ?? "").Replace(',', ' ') };
            foreach (var (key, value) in LabelText.Parse(parseResult.GetValue(labels) ?? ""))
            {
                request.Labels[key] = value;
            }

            var nodes = await ListAll(session, request, cancellationToken);
            TextTable.Write(
                output,
                ["Host", "UUID", "Public Address", "Labels", "Version"],
                nodes.OrderBy(n => n.Hostname, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal).Select(n => (IReadOnlyList<string>)
                [
                    n.Hostname,
                    n.Name,
                    n.UseTunnel && n.Addr.Length == 0 ? "⟵ Tunnel" : n.Addr,
                    LabelText.Format(n),
                    n.Version,
                ]));
            return 0;
        });
        return command;
    }

    private static Command Add(TctlContext context)
    {
        var roles = Options.List("--roles", "Comma-separated list of roles for the new node to assume");
        var ttl = Options.Duration("--ttl", "Time to live for a generated token", DefaultTtl);
        var token = new Option<string?>("--token") { Description = "Override the default random generated token with a specified value" };
        var command = new Command("add", "Generate a node invitation token") { roles, ttl, token };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var lifetime = ttl.ValueOf(parseResult);
            var request = new CreateJoinTokenRequest
            {
                TtlSeconds = (long)Math.Ceiling(lifetime.TotalSeconds),
                Name = parseResult.GetValue(token)?.Trim() ?? "",
            };
            var requested = parseResult.GetValue(roles) ?? [];
            request.Roles.AddRange(requested.Length == 0 ? ["node"] : requested.Select(r => r.ToLowerInvariant()));
            var response = await session.Client.CreateJoinTokenAsync(request, cancellationToken: cancellationToken);
            TokenMessages.WriteJoinInstructions(context.Out(parseResult), response, session.AuthServer, lifetime);
            return 0;
        });
        return command;
    }

    private static async Task<List<Node>> ListAll(AuthSession session, ListNodesRequest request, CancellationToken cancellationToken)
    {
        var nodes = new List<Node>();
        do
        {
            var page = await session.Client.ListNodesAsync(request, cancellationToken: cancellationToken);
            nodes.AddRange(page.Nodes);
            request.StartKey = page.NextKey;
        }
        while (request.StartKey.Length > 0);
        return nodes;
    }
}
