using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Teleport.Orleans.Cli.Tctl.Commands;

namespace Teleport.Orleans.Cli.Tctl;

/// <summary>Builds tctl's command tree and runs one command line, turning failures into "ERROR: ..." and exit code 1.</summary>
internal static class TctlApp
{
    public static RootCommand Build(TctlContext context)
    {
        var root = new RootCommand("Admin tool for the Teleport.Orleans auth service");
        context.Globals.AddTo(root);
        root.Subcommands.Add(StatusCommand.Create(context));
        root.Subcommands.Add(UsersCommand.Create(context));
        root.Subcommands.Add(TokensCommand.Create(context));
        foreach (var command in ResourceCommands.Create(context))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(AuthCommand.Create(context));
        root.Subcommands.Add(EventsCommand.Create(context));
        root.Subcommands.Add(NodesCommand.Create(context));
        root.Subcommands.Add(SessionsCommand.Create(context));
        root.Subcommands.Add(RecordingsCommand.Create(context));
        root.Subcommands.Add(LockCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TctlContext? context = null)
    {
        context ??= new TctlContext();
        var parseResult = Build(context).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Our own handler prints "ERROR: ..." instead of a stack trace.
            EnableDefaultExceptionHandler = false,
        };

        if (parseResult.Action is ParseErrorAction && !IsMissingSubcommand(parseResult))
        {
            // Teleport-style one-line errors; help stays one --help away instead of burying the message.
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"ERROR: {parseError.Message}");
            }

            await error.WriteLineAsync($"Run '{CommandPath(parseResult)} --help' for usage.");
            return 1;
        }

        try
        {
            return await parseResult.InvokeAsync(invocation);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await error.WriteLineAsync($"ERROR: {ErrorReporter.Describe(e, context.AuthServer)}");
            if (parseResult.GetValue(context.Globals.Debug))
            {
                await error.WriteLineAsync(e.ToString());
            }

            return 1;
        }
    }

    /// <summary>A command group typed alone ("tctl users"): showing its help is the useful answer.</summary>
    private static bool IsMissingSubcommand(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        return command.Subcommands.Count > 0 && command.Action is null && parseResult.UnmatchedTokens.Count == 0;
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Command is RootCommand ? "tctl" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(" ", names);
    }
}
