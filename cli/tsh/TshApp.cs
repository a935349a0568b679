using System.CommandLine;
using System.CommandLine.Parsing;
using Teleport.Orleans.Cli.Tsh.Commands;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Sftp;

namespace Teleport.Orleans.Cli.Tsh;

/// <summary>Builds tsh's command tree and runs one command line, turning failures into "ERROR: ..." and exit code 1.</summary>
internal static class TshApp
{
    /// <summary>Options of tsh ssh (and the global ones) that take a value, for finding where the remote command starts.</summary>
    private static readonly HashSet<string> OptionsWithValues = ["-p", "--port", "-l", "--login", "--proxy", "--user", "-e", "--escape-char", "-L", "--local-forward",
        "--rate", "--duration", "--concurrency-limit"];

    public static RootCommand Build(TshContext context)
    {
        var root = new RootCommand("Teleport.Orleans user client: log in, list and reach nodes, copy files, replay sessions");
        context.Globals.AddTo(root);
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(StatusCommand.Create(context));
        root.Subcommands.Add(LogoutCommand.Create(context));
        root.Subcommands.Add(LsCommand.Create(context));
        root.Subcommands.Add(SshCommand.Create(context));
        root.Subcommands.Add(ScpCommand.Create(context));
        root.Subcommands.Add(RecordingsCommand.Create(context));
        root.Subcommands.Add(PlayCommand.Create(context));
        root.Subcommands.Add(SessionsCommand.Create(context));
        root.Subcommands.Add(JoinCommand.Create(context));
        root.Subcommands.Add(ConfigCommand.Create(context));
        root.Subcommands.Add(ProxyCommand.Create(context));
        root.Subcommands.Add(AppsCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TshContext context)
    {
        var parseResult = Build(context).Parse(SeparateRemoteCommand(args));
        // Termination signals are tsh's own (TerminationSignals), so that they restore the terminal and end quietly.
        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        var isSsh = parseResult.CommandResult.Command.Name == "ssh";
        if (parseResult.Errors.Count > 0 && !IsMissingSubcommand(parseResult))
        {
            foreach (var parseError in parseResult.Errors)
            {
                await context.Error.WriteLineAsync($"ERROR: {parseError.Message}");
            }

            await context.Error.WriteLineAsync("Run 'tsh --help' for usage.");
            return 1;
        }

        // As ssh(1): a session that could not be set up (or was killed) exits 255, apart from the remote command's status.
        using var signals = new TerminationSignals(signal => isSsh ? SshCommand.NoStatusExitCode : 128 + signal);
        try
        {
            return await parseResult.InvokeAsync(invocation, signals.Token);
        }
        catch (OperationCanceledException) when (signals.Signal is { } signal)
        {
            return isSsh ? SshCommand.NoStatusExitCode : 128 + signal;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await context.Error.WriteLineAsync($"ERROR: {Describe(e)}");
            if (parseResult.GetValue(context.Globals.Debug))
            {
                await context.Error.WriteLineAsync(e.ToString());
            }

            return isSsh ? SshCommand.NoStatusExitCode : 1;
        }
    }

    /// <summary>
    /// In "tsh ssh [flags] host command -x", everything after the host is the remote command's, flags included:
    /// a "--" is inserted after the host so the parser leaves them alone. The same holds for "tsh bench ssh".
    /// </summary>
    internal static string[] SeparateRemoteCommand(string[] args)
    {
        var ssh = Array.IndexOf(args, "ssh");
        if (ssh < 0 || !(WordsBefore(args, ssh) is [] or ["bench"]) || args.Contains("--"))
        {
            return args;
        }

        for (var i = ssh + 1; i < args.Length; i++)
        {
            if (args[i].StartsWith('-'))
            {
                if (OptionsWithValues.Contains(args[i]))
                {
                    i++;
                }

                continue;
            }

            return i + 1 < args.Length ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
        }

        return args;
    }

    /// <summary>The arguments before <paramref name="end"/> that are neither options nor their values: the command path.</summary>
    private static List<string> WordsBefore(string[] args, int end)
    {
        var words = new List<string>();
        for (var i = 0; i < end; i++)
        {
            if (!args[i].StartsWith('-'))
            {
                words.Add(args[i]);
            }
            else if (OptionsWithValues.Contains(args[i]))
            {
                i++;
            }
        }

        return words;
    }

    private static bool IsMissingSubcommand(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        return command.Subcommands.Count > 0 && command.Action is null && parseResult.UnmatchedTokens.Count == 0;
    }

    /// <summary>One sentence for a failure (tsh bench reports each failed session's reason with it).</summary>
    internal static string Describe(Exception e) => e switch
    {
        TshException => e.Message,
        SshConnectionException or SshAuthenticationException or SshHostKeyRejectedException or SftpException => e.Message,
        SshRequestFailedException => $"The node refused the request: {e.Message}",
        IOException => e.Message,
        UnauthorizedAccessException => e.Message,
        OperationCanceledException or TimeoutException => "Timed out waiting for the proxy or the node; check that they are reachable and try again.",
        System.Net.Sockets.SocketException => $"Network error: {e.Message}.",
        // Unexpected: the message alone (never the exception's type name); --debug prints the details.
        _ => $"{e.Message.TrimEnd('.')} (run with --debug for details).",
    };
}
