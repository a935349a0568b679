using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.Bench;
using Teleport.Orleans.Cli.Tsh.Proxy;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh bench ssh [--rate=N] [--duration=D] [--interactive] [--concurrency-limit=N] LOGIN@NODE COMMAND: opens SSH
/// sessions through the proxy at a fixed rate for a while (each a full connect, authentication, session, command and
/// exit, as tsh ssh makes it) and prints how many failed and why, the rate achieved, and the latency percentiles.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TshContext context)
    {
        var rate = new Option<int>("--rate") { Description = "Sessions started per second", DefaultValueFactory = _ => 10, Recursive = true };
        var duration = new Option<string>("--duration") { Description = "How long sessions are started for (e.g. 10s, 1m)", DefaultValueFactory = _ => "1s", Recursive = true };
        var bench = new Command("bench", "Run a benchmark against the cluster") { rate, duration };
        bench.Subcommands.Add(CreateSsh(context, rate, duration));
        return bench;
    }

    private static Command CreateSsh(TshContext context, Option<int> rate, Option<string> duration)
    {
        var target = new Argument<string>("[login@]host") { Description = "Remote node" };
        var remoteCommand = new Argument<string[]>("command") { Description = "Command to run in each session (everything after the host)", Arity = ArgumentArity.OneOrMore };
        var interactive = new Option<bool>("--interactive") { Description = "Open a shell on a terminal in each session and type the command, then exit" };
        var port = new Option<int>("--port", "-p") { Description = "SSH port on the node (default: the port it registered)" };
        var limit = new Option<int>("--concurrency-limit")
        {
            Description = "At most this many sessions at once; a due session waits for a slot, its wait counted in its latency (default: no limit)",
        };
        var command = new Command("ssh", "Open SSH sessions through the proxy at a fixed rate and report their latency")
        {
            target, remoteCommand, interactive, port, limit,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var schedule = new BenchSchedule(parseResult.GetValue(rate), BenchDuration.Parse(parseResult.GetValue(duration)!));
            if (parseResult.GetValue(limit) < 0)
            {
                throw new TshException("--concurrency-limit must be zero (no limit) or more.");
            }

            var login = context.Store.RequireLogin();
            var node = NodeTarget.Parse(parseResult.GetValue(target)!, parseResult.GetValue(port)).WithoutClusterSuffix(login.Profile.Cluster);
            var sshLogin = node.Login ?? parseResult.GetValue(context.Globals.Login) ?? context.Environment("TELEPORT_LOGIN") ?? Environment.UserName;
            var connector = new ProxyConnector(login, context.Store.HostCaKeys(login.Profile));
            var session = new SshBenchSession(connector, node, sshLogin, string.Join(' ', parseResult.GetValue(remoteCommand)!), parseResult.GetValue(interactive));
            var result = await new BenchRunner(schedule, parseResult.GetValue(limit)).RunAsync(session.RunAsync, TshApp.Describe, cancellationToken);
            BenchReport.Write(context.Out, schedule, result);
            return 0;
        });
        return command;
    }
}
