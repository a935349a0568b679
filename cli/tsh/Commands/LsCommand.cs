using System.CommandLine;
using System.Text.Json;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Cli.Tsh.WebApi;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh ls [key=value,...]: the cluster's nodes the user can see, filtered by labels.</summary>
internal static class LsCommand
{
    public static Command Create(TshContext context)
    {
        var labels = new Argument<string[]>("labels") { Description = "Label selectors key=value (comma-separated or several)", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("ls", "List remote SSH nodes") { labels, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var selector = ParseSelector(parseResult.GetValue(labels) ?? []);
            var login = context.Store.RequireLogin();
            using var web = context.WebClient(login);
            var nodes = (await web.ListNodesAsync(login.Profile.Cluster, selector, cancellationToken))
                .Where(n => n.Matches(selector)).OrderBy(n => n.Hostname, StringComparer.Ordinal).ToList();
            if (parseResult.GetValue(format) == "json")
            {
                context.Out.WriteLine(JsonSerializer.Serialize(
                    nodes.ConvertAll(n => new NodeJson(n.Name, n.Hostname, n.Address, n.Labels, n.Tunnel)),
                    CommandOutputJsonContext.Default.ListNodeJson));
                return 0;
            }

            Render(context.Out, nodes);
            return 0;
        });
        return command;
    }

    internal static Dictionary<string, string> ParseSelector(IEnumerable<string> arguments)
    {
        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in arguments.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new TshException($"'{pair}' is not a label selector: expected key=value.");
            }

            selector[pair[..equals]] = pair[(equals + 1)..];
        }

        return selector;
    }

    internal static void Render(TextWriter output, IReadOnlyList<NodeInfo> nodes) =>
        TextTable.Write(output, ["Node Name", "Address", "Labels"], nodes.Select(node => (IReadOnlyList<string>)
        [
            node.Hostname,
            node.Tunnel || node.Address.Length == 0 ? "⟵ Tunnel" : node.Address,
            string.Join(",", node.Labels.Select(l => $"{l.Key}={l.Value}")),
        ]));
}
