using System.CommandLine;
using System.Text;
using Teleport.Orleans.Cli.Tsh.Proxy;
using Teleport.Orleans.Cli.Tsh.Sessions;
using Teleport.Orleans.Cli.Tsh.Terminal;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh join [-m observer|moderator|peer] SESSION_ID: joins a running session through the proxy, on whichever node
/// holds it (found in the active sessions listing), as Teleport's join login; the node decides from the user's
/// join_sessions policies. A peer types into the session; an observer or a moderator only watches (Ctrl-C leaves,
/// a moderator's t ends the session).
/// </summary>
internal static class JoinCommand
{
    /// <summary>Teleport's <c>SSHSessionJoinPrincipal</c>.</summary>
    public const string JoinLogin = "-teleport-internal-join";

    private static readonly string[] Modes = ["observer", "moderator", "peer"];

    public static Command Create(TshContext context)
    {
        var sessionId = new Argument<string>("session-id") { Description = "The session to join (see tsh sessions ls)" };
        var mode = new Option<string>("--mode", "-m")
        {
            Description = "Participant mode: observer (watch), moderator (watch, t ends the session) or peer (type too)",
            DefaultValueFactory = _ => "observer",
        };
        mode.AcceptOnlyFromAmong(Modes);
        var escape = new Option<string?>("--escape-char", "-e") { Description = "Escape character (default '~'; 'none' turns escapes off)" };
        var command = new Command("join", "Join an active session") { sessionId, mode, escape };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(sessionId)!;
            var participantMode = parseResult.GetValue(mode)!;
            var escapes = new EscapeFilter(EscapeCharacter.Parse(parseResult.GetValue(escape)));
            var login = context.Store.RequireLogin();
            WebApi.ActiveSession session;
            using (var web = context.WebClient(login))
            {
                var sessions = await web.ListActiveSessionsAsync(login.Profile.Cluster, cancellationToken);
                session = sessions.FirstOrDefault(s => s.Id == id)
                    ?? throw new TshException($"There is no active session {id} that you may join (see 'tsh sessions ls').");
            }

            var connector = new ProxyConnector(login, context.Store.HostCaKeys(login.Profile));
            await using var proxy = await connector.ConnectProxyAsync(JoinLogin, cancellationToken);
            await using var client = await connector.ConnectNodeAsync(proxy, new NodeTarget(null, session.NodeId, 0), JoinLogin, cancellationToken);
            return await RunAsync(context, client, session, participantMode, escapes, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        TshContext context, SshClient client, WebApi.ActiveSession target, string mode, EscapeFilter escapes, CancellationToken cancellationToken)
    {
        await using var session = await client.OpenSessionAsync(cancellationToken);
        await session.SetEnvironmentVariableAsync("TELEPORT_SESSION", target.Id, cancellationToken);
        await session.SetEnvironmentVariableAsync("TELEPORT_SSH_JOIN_MODE", mode, cancellationToken);
        var local = context.InputIsTerminal ? RawTerminal.Read(Libc.StandardInput) : null;
        if (local is not null)
        {
            await session.RequestPtyAsync(context.Environment("TERM") ?? "xterm", TerminalSize.Current(), TerminalModes.Encode(local.Value), cancellationToken);
        }

        await session.StartShellAsync(cancellationToken);
        var stdout = context.OpenStandardOutput();
        var stderr = context.OpenStandardError();
        SshExitStatus? ended;
        if (OperatingSystem.IsLinux() && local is not null && RawTerminal.Enter(Libc.StandardInput) is { } raw)
        {
            using (raw)
            {
                if (mode == "peer")
                {
                    ended = await new TerminalSession(session, raw, escapes, stdout, stderr).RunAsync(cancellationToken);
                }
                else
                {
                    var watching = new ObserverTerminalSession(session, escapes, mode == "moderator", stdout, stderr);
                    stderr.Write(Encoding.UTF8.GetBytes(watching.Help()));
                    ended = await watching.RunAsync(cancellationToken);
                }
            }
        }
        else
        {
            // Without a terminal: the output only (scripts, logs); a peer's standard input is not forwarded.
            var output = Task.WhenAll(session.StandardOutput.CopyToAsync(stdout, cancellationToken), session.StandardError.CopyToAsync(stderr, cancellationToken));
            ended = await session.WaitForExitAsync(cancellationToken);
            await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (ended is null)
        {
            stderr.Write(Encoding.UTF8.GetBytes($"\r\nLeft session {target.Id}.\r\n"));
        }

        return ended is { } status ? RemoteExit.Code(status) : 0;
    }
}
