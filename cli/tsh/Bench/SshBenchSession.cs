using System.Text;
using Teleport.Orleans.Cli.Tsh.Proxy;
using Teleport.Orleans.Cli.Tsh.Sessions;
using Teleport.Orleans.Cli.Tsh.Terminal;

namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>
/// One benchmark session, connected from scratch as tsh ssh connects: a new SSH connection to the proxy authenticated
/// with the profile's certificate, the proxy subsystem to the node, the end-to-end SSH connection with the node, a
/// session that runs the command (or, interactive, a shell on a terminal that is typed the command and "exit"), and
/// the exit. Output is read and dropped. A non-zero exit status is a failure, as Teleport's bench counts it.
/// </summary>
internal sealed class SshBenchSession(ProxyConnector connector, NodeTarget node, string sshLogin, string command, bool interactive)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var proxy = await connector.ConnectProxyAsync(sshLogin, cancellationToken);
        await using var client = await connector.ConnectNodeAsync(proxy, node, sshLogin, cancellationToken);
        await using var session = await client.OpenSessionAsync(cancellationToken);
        if (interactive)
        {
            await session.RequestPtyAsync("xterm", TerminalSize.Default, cancellationToken: cancellationToken);
            await session.StartShellAsync(cancellationToken);
            await session.StandardInput.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\nexit\r\n"), cancellationToken);
        }
        else
        {
            await session.ExecAsync(command, cancellationToken);
            await session.CloseInputAsync();
        }

        var output = Task.WhenAll(session.StandardOutput.CopyToAsync(Stream.Null, cancellationToken), session.StandardError.CopyToAsync(Stream.Null, cancellationToken));
        var status = await session.WaitForExitAsync(cancellationToken);
        await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        if (RemoteExit.Code(status) is var code and not 0)
        {
            throw new TshException(RemoteExit.Message(status) ?? $"The command exited with status {code}.");
        }
    }
}
