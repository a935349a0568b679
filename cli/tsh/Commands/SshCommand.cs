using System.CommandLine;
using System.Runtime.InteropServices;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Cli.Tsh.Proxy;
using Teleport.Orleans.Cli.Tsh.Terminal;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh ssh [-t] [-p PORT] LOGIN@NODE [COMMAND...]: an end-to-end SSH session with the node through the proxy.
/// Exits with the remote command's exit status (255 when the connection failed or no status came back, as ssh(1)).
/// </summary>
internal static class SshCommand
{
    /// <summary>ssh(1)'s exit code when there is no remote status.</summary>
    public const int NoStatusExitCode = 255;

    public static Command Create(TshContext context)
    {
        var target = new Argument<string>("[login@]host") { Description = "Remote node" };
        var remoteCommand = new Argument<string[]>("command") { Description = "Command to run (everything after the host)", Arity = ArgumentArity.ZeroOrMore };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a terminal even for a command" };
        var port = new Option<int>("--port", "-p") { Description = "SSH port on the node (default: the port it registered)" };
        var command = new Command("ssh", "Run a shell or execute a command on a remote SSH node") { target, remoteCommand, tty, port };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var node = NodeTarget.Parse(parseResult.GetValue(target)!, parseResult.GetValue(port));
            var login = context.Store.RequireLogin();
            var sshLogin = node.Login ?? parseResult.GetValue(context.Globals.Login) ?? context.Environment("TELEPORT_LOGIN") ?? Environment.UserName;
            var commandLine = string.Join(' ', parseResult.GetValue(remoteCommand) ?? []);
            var connector = new ProxyConnector(login, context.Store.HostCaKeys(login.Profile));
            await using var proxy = await connector.ConnectProxyAsync(sshLogin, cancellationToken);
            await using var client = await connector.ConnectNodeAsync(proxy, node.WithoutClusterSuffix(login.Profile.Cluster), sshLogin, cancellationToken);
            var wantPty = parseResult.GetValue(tty) || (commandLine.Length == 0 && context.InputIsTerminal);
            return await RunAsync(context, client, commandLine, wantPty, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(TshContext context, SshClient client, string commandLine, bool wantPty, CancellationToken cancellationToken)
    {
        await using var session = await client.OpenSessionAsync(cancellationToken);
        using var raw = wantPty && context.InputIsTerminal ? RawTerminal.Enter() : null;
        PosixSignalRegistration? resize = null;
        if (wantPty)
        {
            await session.RequestPtyAsync(context.Environment("TERM") ?? "xterm", WindowSize(), cancellationToken: cancellationToken);
            if (!OperatingSystem.IsWindows() && context.InputIsTerminal)
            {
                resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal =>
                {
                    signal.Cancel = true;
                    _ = session.ChangeWindowSizeAsync(WindowSize(), CancellationToken.None);
                });
            }
        }

        using (resize)
        {
            if (commandLine.Length == 0)
            {
                await session.StartShellAsync(cancellationToken);
            }
            else
            {
                await session.ExecAsync(commandLine, cancellationToken);
            }

            var stdout = context.OpenStandardOutput();
            var stderr = context.OpenStandardError();
            var output = Task.WhenAll(session.StandardOutput.CopyToAsync(stdout, cancellationToken), session.StandardError.CopyToAsync(stderr, cancellationToken));
            // Input is pumped in the background: the remote side may end while a read of the terminal is pending.
            _ = PumpInputAsync(context.OpenStandardInput(), session, cancellationToken);
            var status = await session.WaitForExitAsync(cancellationToken);
            await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            await stdout.FlushAsync(cancellationToken);
            if (status.Signal is { } signal && !wantPty)
            {
                await context.Error.WriteLineAsync($"Remote command terminated by signal {signal}.");
            }

            return status.ExitCode ?? NoStatusExitCode;
        }
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

    private static SshWindowSize WindowSize()
    {
        try
        {
            return new SshWindowSize((uint)Math.Max(Console.WindowWidth, 1), (uint)Math.Max(Console.WindowHeight, 1), 0, 0);
        }
        catch (IOException)
        {
            return new SshWindowSize(80, 24, 0, 0);
        }
    }
}
