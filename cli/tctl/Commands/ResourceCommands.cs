using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Cli.Tctl.Connection;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl get, create and rm: resources in Teleport's YAML shape.</summary>
internal static class ResourceCommands
{
    public static IEnumerable<Command> Create(TctlContext context) => [Get(context), CreateCommand(context), Remove(context)];

    private static Command Get(TctlContext context)
    {
        var resources = new Argument<string>("resources")
        {
            Description = "KIND or KIND/NAME, comma-separated: users, roles, tokens, cluster_auth_preference, role/NAME, user/NAME",
        };
        var format = Options.Choice("--format", "Output format", "yaml", "yaml", "json", "text");
        var command = new Command("get", "Print resources") { resources, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var refs = ResourceRef.ParseList(parseResult.GetRequiredValue(resources));
            var outputFormat = parseResult.GetRequiredValue(format);
            using var session = context.Connect(parseResult);
            var output = context.Out(parseResult);
            if (outputFormat == "yaml")
            {
                var documents = new List<string>();
                foreach (var reference in refs)
                {
                    documents.Add(await Fetch(session, reference, "yaml", cancellationToken));
                }

                await output.WriteAsync(YamlDocuments.Join(documents));
                return 0;
            }

            var items = new JsonArray();
            foreach (var reference in refs)
            {
                foreach (var item in JsonItems(await Fetch(session, reference, "json", cancellationToken)))
                {
                    items.Add(item);
                }
            }

            if (outputFormat == "json")
            {
                await output.WriteLineAsync(items.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                ResourceTables.Write(output, items);
            }

            return 0;
        });
        return command;
    }

    private static Command CreateCommand(TctlContext context)
    {
        var file = new Argument<string>("filename") { Description = "YAML file with one or more resources; - reads standard input" };
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite resources that already exist" };
        var command = new Command("create", "Create or update resources from a YAML file") { file, force };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(file);
            var yaml = path == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken)
                : await ReadFile(path, cancellationToken);
            if (string.IsNullOrWhiteSpace(yaml))
            {
                throw new TctlException($"{(path == "-" ? "standard input" : path)} holds no resources");
            }

            using var session = context.Connect(parseResult);
            var response = await session.Client.CreateResourceAsync(
                new CreateResourceRequest { Yaml = yaml, Force = parseResult.GetValue(force) },
                cancellationToken: cancellationToken);
            var output = context.Out(parseResult);
            foreach (var created in response.Created)
            {
                await output.WriteLineAsync(Describe(created, "created"));
            }

            return 0;
        });
        return command;
    }

    private static Command Remove(TctlContext context)
    {
        var resource = new Argument<string>("resource") { Description = "KIND/NAME, e.g. role/access or user/alice" };
        var command = new Command("rm", "Delete a resource") { resource };
        command.Aliases.Add("del");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var reference = ResourceRef.Parse(parseResult.GetRequiredValue(resource));
            if (reference.IsAll && reference.Kind != ResourceRef.ClusterAuthPreference)
            {
                throw new TctlException($"tctl rm needs KIND/NAME, e.g. {reference.Kind}/NAME");
            }

            using var session = context.Connect(parseResult);
            await session.Client.DeleteResourceAsync(
                new DeleteResourceRequest { Kind = reference.Kind, Name = reference.Name },
                cancellationToken: cancellationToken);
            await context.Out(parseResult).WriteLineAsync(Describe(reference.ToString(), "deleted"));
            return 0;
        });
        return command;
    }

    private static async Task<string> Fetch(AuthSession session, ResourceRef reference, string format, CancellationToken cancellationToken)
    {
        var response = await session.Client.GetResourcesAsync(
            new GetResourcesRequest { Kind = reference.Kind, Name = reference.Name, Format = format },
            cancellationToken: cancellationToken);
        return response.Text;
    }

    private static async Task<string> ReadFile(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TctlException($"file {path} does not exist");
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    /// <summary>The server's JSON is one resource or an array of them; empty text means none.</summary>
    private static IEnumerable<JsonNode> JsonItems(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        return JsonNode.Parse(json) switch
        {
            JsonArray array => array.Where(n => n is not null).Select(n => n!.DeepClone()).ToList(),
            JsonNode node => [node],
            null => [],
        };
    }

    /// <summary>"role/access" → role "access" has been created; a sentence from the server is printed as is.</summary>
    private static string Describe(string reference, string verb)
    {
        if (reference.Contains(' ', StringComparison.Ordinal))
        {
            return reference;
        }

        var slash = reference.IndexOf('/');
        return slash > 0
            ? $"{reference[..slash]} \"{reference[(slash + 1)..]}\" has been {verb}"
            : $"{reference} has been {verb}";
    }
}
