using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.Forwarding;
using Teleport.Orleans.Cli.Tsh.Proxy;
using Teleport.Orleans.Cli.Tsh.Sessions;
using Teleport.Orleans.Cli.Tsh.Terminal;
using Teleport.Orleans.Cli.Tsh.WebApi;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh ssh [-t] [-A] [-e CHAR] [-p PORT] [-L SPEC]... [-R SPEC]... [-N] LOGIN@NODE [COMMAND...]: an end-to-end SSH session with
/// the node through the proxy. With a terminal on both ends it behaves as ssh(1): the local terminal in raw mode, escape
/// sequences, window changes; -L and -R forward ports over the same connection, -N only forwards, -A forwards the agent. A host of
/// key=value[,key=value] runs the command on every matching node (<see cref="LabelCommandRun"/>). Exits with the remote command's exit status (128 + N when signal N killed it, 255 when the connection
/// failed or no status came back, as ssh(1)).
/// </summary>
internal static class SshCommand
{
    /// <summary>ssh(1)'s exit code when there is no remote status.</summary>
    public const int NoStatusExitCode = RemoteExit.NoStatus;

    public static Command Create(TshContext context)
    {
        var target = new Argument<string>("[login@]host") { Description = "Remote node" };
        var remoteCommand = new Argument<string[]>("command") { Description = "Command to run (everything after the host)", Arity = ArgumentArity.ZeroOrMore };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a terminal even for a command" };
        var port = new Option<int>("--port", "-p") { Description = "SSH port on the node (default: the port it registered)" };
        var escape = new Option<string?>("--escape-char", "-e")
        {
            Description = "Escape character for a terminal session (default '~'; '^X' for a control character; 'none' turns escapes off)",
        };
        var forwards = new Option<string[]>("--local-forward", "-L")
        {
            Description = "Forward a local port to host:hostport as the node sees it: [bind_address:]port:host:hostport (repeatable)",
            Arity = ArgumentArity.OneOrMore,
        };
        var remoteForwards = new Option<string[]>("--remote-forward", "-R")
        {
            Description = "Forward a port the node listens on (loopback) to host:hostport as seen from here: [bind_address:]port:host:hostport (repeatable)",
            Arity = ArgumentArity.OneOrMore,
        };
        var forwardAgent = new Option<bool>("--forward-agent", "-A") { Description = "Forward the local ssh-agent (SSH_AUTH_SOCK) to the session, if the role allows it" };
        var noCommand = new Option<bool>("--no-remote-command", "-N") { Description = "Run no remote command: only forward ports, until interrupted" };
        var command = new Command("ssh", "Run a shell or execute a command on a remote SSH node")
        {
            target, remoteCommand, tty, port, escape, forwards, remoteForwards, forwardAgent, noCommand,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var escapes = new EscapeFilter(EscapeCharacter.Parse(parseResult.GetValue(escape)));
            var node = NodeTarget.Parse(parseResult.GetValue(target)!, parseResult.GetValue(port));
            var login = context.Store.RequireLogin();
            var sshLogin = node.Login ?? parseResult.GetValue(context.Globals.Login) ?? context.Environment("TELEPORT_LOGIN") ?? Environment.UserName;
            var commandLine = string.Join(' ', parseResult.GetValue(remoteCommand) ?? []);
            var localForwards = (parseResult.GetValue(forwards) ?? []).Select(LocalForward.Parse).ToList();
            var toRemote = (parseResult.GetValue(remoteForwards) ?? []).Select(RemoteForward.Parse).ToList();
            var forwardOnly = parseResult.GetValue(noCommand);
            var connector = new ProxyConnector(login, context.Store.HostCaKeys(login.Profile));
            if (node.Host.Contains('=', StringComparison.Ordinal))
            {
                return await RunOnLabelsAsync(
                    context, login, connector, node.Host, sshLogin, commandLine, localForwards.Count + toRemote.Count > 0 || forwardOnly || parseResult.GetValue(forwardAgent), cancellationToken);
            }

            if (forwardOnly && commandLine.Length > 0)
            {
                throw new TshException("-N runs no remote command: leave the command out, or drop -N.");
            }

            await using var proxy = await connector.ConnectProxyAsync(sshLogin, cancellationToken);
            await using var client = await connector.ConnectNodeAsync(proxy, node.WithoutClusterSuffix(login.Profile.Cluster), sshLogin, cancellationToken);
            var forwarders = new List<LocalForwarder>();
            try
            {
                forwarders.AddRange(localForwards.Select(forward => LocalForwarder.Start(client, forward, context.Error)));
                await RemoteForwarder.StartAsync(client, toRemote, context.Error, cancellationToken);
                if (forwardOnly)
                {
                    return await ForwardOnlyAsync(context, client, node.Host, cancellationToken);
                }

                var wantPty = parseResult.GetValue(tty) || (commandLine.Length == 0 && context.InputIsTerminal);
                var agent = parseResult.GetValue(forwardAgent) && AgentForwarding.Enable(client, context);
                return await RunAsync(context, client, node.Host, commandLine, wantPty, agent, escapes, cancellationToken);
            }
            finally
            {
                foreach (var forwarder in forwarders)
                {
                    await forwarder.DisposeAsync();
                }
            }
        });
        return command;
    }

    /// <summary>-N: the forwards run until a signal ends tsh (exit 0) or the node connection closes (255).</summary>
    private static async Task<int> ForwardOnlyAsync(TshContext context, SshClient client, string host, CancellationToken cancellationToken)
    {
        var interrupted = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(interrupted, client.Closed) == interrupted)
        {
            return 0;
        }

        if (await client.Closed is { } closed && ServerDisconnect.Notice(closed, "") is { } reason)
        {
            await context.Error.WriteLineAsync(reason);
        }

        await context.Error.WriteLineAsync($"Connection to {host} closed.");
        return NoStatusExitCode;
    }

    private static async Task<int> RunOnLabelsAsync(
        TshContext context, Profiles.LoggedInUser login, ProxyConnector connector, string labels, string sshLogin, string commandLine, bool forwarding,
        CancellationToken cancellationToken)
    {
        if (commandLine.Length == 0 || forwarding)
        {
            throw new TshException($"A label target ({labels}) needs a command to run on each node, and cannot forward ports or the agent: name one node for a shell, -L, -R or -A.");
        }

        var selector = LsCommand.ParseSelector([labels]);
        List<NodeInfo> nodes;
        using (var web = context.WebClient(login))
        {
            nodes = (await web.ListNodesAsync(login.Profile.Cluster, selector, cancellationToken))
                .Where(n => n.Matches(selector)).OrderBy(n => n.Hostname, StringComparer.Ordinal).ToList();
        }

        return nodes.Count == 0
            ? throw new TshException($"No node matches the labels {labels} (see 'tsh ls').")
            : await new LabelCommandRun(context, connector, sshLogin, commandLine).RunAsync(nodes, cancellationToken);
    }

    private static async Task<int> RunAsync(
        TshContext context, SshClient client, string host, string commandLine, bool wantPty, bool forwardAgent, EscapeFilter escapes,
        CancellationToken cancellationToken)
    {
        await using var session = await client.OpenSessionAsync(cancellationToken);
        if (forwardAgent)
        {
            await session.RequestAgentForwardingAsync(cancellationToken);
        }

        var local = context.InputIsTerminal ? RawTerminal.Read(Libc.StandardInput) : null;
        if (wantPty)
        {
            var size = local is null ? TerminalSize.Default : TerminalSize.Current();
            var modes = local is { } settings ? TerminalModes.Encode(settings) : null;
            await session.RequestPtyAsync(context.Environment("TERM") ?? "xterm", size, modes, cancellationToken);
        }

        if (commandLine.Length == 0)
        {
            await session.StartShellAsync(cancellationToken);
        }
        else
        {
            await session.ExecAsync(commandLine, cancellationToken);
        }

        var stdout = context.OpenStandardOutput();
        var stderr = new TailTrackingStream(context.OpenStandardError());
        if (OperatingSystem.IsLinux() && wantPty && local is not null && RawTerminal.Enter(Libc.StandardInput) is { } raw)
        {
            SshExitStatus? ended;
            string? closedBecause = null;
            using (raw)
            {
                try
                {
                    ended = await new TerminalSession(session, raw, escapes, stdout, stderr).RunAsync(cancellationToken);
                }
                catch (SshConnectionException ex) when (ex.ServerMessage is not null)
                {
                    ended = null;
                    closedBecause = ServerDisconnect.Notice(ex, stderr.Tail);
                }
                catch
                {
                    // Whatever is reported next starts on a line of its own.
                    stderr.Write("\r\n"u8);
                    throw;
                }
            }

            // As ssh(1) after a terminal session; straight to the descriptor, so .NET's console stays untouched.
            var message = ended is { } status ? RemoteExit.Message(status) : closedBecause;
            stderr.Write(System.Text.Encoding.UTF8.GetBytes($"{(message is null ? "" : message + "\n")}Connection to {host} closed.\n"));
            return ended is { } exit ? RemoteExit.Code(exit) : NoStatusExitCode;
        }

        var output = Task.WhenAll(session.StandardOutput.CopyToAsync(stdout, cancellationToken), session.StandardError.CopyToAsync(stderr, cancellationToken));
        // Input is pumped in the background: the remote side may end while a read of the input is pending.
        _ = PumpInputAsync(context.OpenStandardInput(), session, cancellationToken);
        SshExitStatus finished;
        try
        {
            finished = await session.WaitForExitAsync(cancellationToken);
        }
        catch (SshConnectionException ex) when (ex.ServerMessage is not null)
        {
            // The node closed the connection (access ended): its last words may still be on their way out.
            await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (ServerDisconnect.Notice(ex, stderr.Tail) is { } notice)
            {
                await context.Error.WriteLineAsync(notice);
            }

            return NoStatusExitCode;
        }

        await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        await stdout.FlushAsync(cancellationToken);
        if (RemoteExit.Message(finished) is { } signalled)
        {
            await context.Error.WriteLineAsync(signalled);
        }

        return RemoteExit.Code(finished);
    }

    private static async Task PumpInputAsync(Stream input, SshSession session, CancellationToken cancellationToken)
    {
        try
        {
            await input.CopyToAsync(session.StandardInput, cancellationToken);
            await session.CloseInputAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SshConnectionException)
        {
            // The session ended first: nothing is left to send the input to.
        }
    }
}
