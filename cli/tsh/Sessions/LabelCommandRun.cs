using Teleport.Orleans.Cli.Tsh.Proxy;
using Teleport.Orleans.Cli.Tsh.WebApi;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// <c>tsh ssh login@key=value[,key=value] command</c>: the command on every node whose labels match, in parallel over
/// one proxy connection, each output line prefixed with the node's hostname. The exit status is 0 when every node's
/// command exited 0, else the first failure's (in hostname order), 255 for a node that could not be reached.
/// </summary>
internal sealed class LabelCommandRun(TshContext context, ProxyConnector connector, string sshLogin, string commandLine)
{
    private readonly Lock _stdout = new();
    private readonly Lock _stderr = new();

    public async Task<int> RunAsync(IReadOnlyList<NodeInfo> nodes, CancellationToken cancellationToken)
    {
        await using var proxy = await connector.ConnectProxyAsync(sshLogin, cancellationToken);
        var stdout = context.OpenStandardOutput();
        var stderr = context.OpenStandardError();
        var codes = await Task.WhenAll(nodes.Select(node => RunOnAsync(proxy, node.Hostname, stdout, stderr, cancellationToken)));
        await stdout.FlushAsync(cancellationToken);
        return codes.FirstOrDefault(code => code != 0);
    }

    private async Task<int> RunOnAsync(SshClient proxy, string hostname, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var errors = new PrefixedLines(stderr, hostname, _stderr);
        try
        {
            await using var client = await connector.ConnectNodeAsync(proxy, new NodeTarget(sshLogin, hostname, 0), sshLogin, cancellationToken);
            await using var session = await client.OpenSessionAsync(cancellationToken);
            await session.ExecAsync(commandLine, cancellationToken);
            // The command reads no input here: several nodes cannot share the terminal's.
            await session.CloseInputAsync();
            var output = Task.WhenAll(
                new PrefixedLines(stdout, hostname, _stdout).CopyAsync(session.StandardOutput, cancellationToken),
                errors.CopyAsync(session.StandardError, cancellationToken));
            var status = await session.WaitForExitAsync(cancellationToken);
            await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (RemoteExit.Message(status) is { } signalled)
            {
                await WriteErrorAsync(errors, signalled, cancellationToken);
            }

            return RemoteExit.Code(status);
        }
        catch (Exception ex) when (ex is TshException or SshConnectionException or SshRequestFailedException or IOException)
        {
            await WriteErrorAsync(errors, $"ERROR: {ex.Message}", cancellationToken);
            return RemoteExit.NoStatus;
        }
    }

    private static Task WriteErrorAsync(PrefixedLines errors, string message, CancellationToken cancellationToken) =>
        errors.CopyAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(message + "\n")), cancellationToken);
}
