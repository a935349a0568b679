using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.Proxy;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh proxy ssh [login@]host:port: connects stdin and stdout to the node's SSH port through the proxy, for
/// OpenSSH's ProxyCommand (OpenSSH then runs its own handshake with the node over it).
/// </summary>
internal static class ProxyCommand
{
    public static Command Create(TshContext context)
    {
        var target = new Argument<string>("[login@]host:port") { Description = "Node to reach (OpenSSH passes %r@%h:%p)" };
        var cluster = new Option<string?>("--cluster") { Description = "Cluster of the node (default: the profile's)" };
        var ssh = new Command("ssh", "Start a local proxy for SSH connections (for OpenSSH's ProxyCommand)") { target, cluster };
        ssh.SetAction(async (parseResult, cancellationToken) =>
        {
            var login = context.Store.RequireLogin();
            var clusterName = parseResult.GetValue(cluster) ?? login.Profile.Cluster;
            if (!string.Equals(clusterName, login.Profile.Cluster, StringComparison.OrdinalIgnoreCase))
            {
                throw new TshException($"The profile is logged in to cluster '{login.Profile.Cluster}', not '{clusterName}'.");
            }

            var node = NodeTarget.Parse(parseResult.GetValue(target)!).WithoutClusterSuffix(clusterName);
            var connector = new ProxyConnector(login, context.Store.HostCaKeys(login.Profile));
            await using var proxy = await connector.ConnectProxyAsync(node.Login ?? login.Profile.User, cancellationToken);
            await using var stream = await connector.OpenNodeStreamAsync(proxy, node, cancellationToken);
            var stdout = context.OpenStandardOutput();
            var upstream = Task.Run(
                async () =>
                {
                    try
                    {
                        await context.OpenStandardInput().CopyToAsync(stream, cancellationToken);
                        await stream.ShutdownWriteAsync();
                    }
                    catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
                    {
                        // The node side closed first; the downstream copy ends the command.
                    }
                },
                CancellationToken.None);
            await stream.CopyToAsync(stdout, cancellationToken);
            await stdout.FlushAsync(cancellationToken);
            if (await stream.ReadErrorAsync(TimeSpan.FromSeconds(1)) is { Length: > 0 } reason)
            {
                // The proxy's reason for closing (e.g. an unknown node) for the user of ssh to read.
                await context.Error.WriteLineAsync(reason);
            }

            _ = upstream;
            return 0;
        });
        var command = new Command("proxy", "Run local TLS proxy allowing connecting to Teleport in single-port mode");
        command.Subcommands.Add(ssh);
        return command;
    }
}
