using System.Text;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// A session channel on the proxy: only the <c>proxy:</c> subsystem, which splices the channel to the node. The
/// proxy runs no shell or command of its own; those requests are refused.
/// </summary>
internal sealed class ProxySessionHandler(ProxyConnections connections, ProxyUser user, string clusterName) : ISshSessionHandler
{
    public ValueTask<SshProgram?> SubsystemAsync(string name, CancellationToken cancellationToken)
    {
        if (ProxySubsystem.TryParse(name) is not { } target)
        {
            return ValueTask.FromResult<SshProgram?>(null);
        }

        return ValueTask.FromResult<SshProgram?>((streams, token) => Run(target, streams, token));
    }

    private async Task<int> Run(ProxySubsystem target, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        if (target.Cluster.Length > 0 && !string.Equals(target.Cluster, clusterName, StringComparison.OrdinalIgnoreCase))
        {
            return await Fail(streams, $"cluster \"{target.Cluster}\" is not known to this proxy (it serves \"{clusterName}\")");
        }

        AuditedStream node;
        try
        {
            node = await connections.Open(user, target.Host, target.Port, "proxy-subsystem", cancellationToken);
        }
        catch (RouteException ex)
        {
            return await Fail(streams, ex.Message);
        }

        await using (node)
        {
            var up = Pump(streams.Input, node, cancellationToken, halfClose: true);
            var down = Pump(node, streams.Output, cancellationToken, halfClose: false);
            // The node closing its side ends the session; the client's EOF only half-closes towards the node.
            await down;
            await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }

        return 0;
    }

    private static async Task Pump(Stream from, Stream to, CancellationToken cancellationToken, bool halfClose)
    {
        // One channel packet: a read from the client's channel returns at most one, and what is read from the node goes
        // out in packets of that size. Two per proxied session, held for its life (64 KiB each cost 128 KiB a session).
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                // Awaiting the write is the back-pressure: nothing more is read until the other side took this.
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            if (halfClose)
            {
                await StreamHalfClose.ShutdownWriteAsync(to);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Either side went away; the other pump ends with it.
        }
    }

    private static async Task<int> Fail(SshSessionStreams streams, string message)
    {
        await streams.Error.WriteAsync(Encoding.UTF8.GetBytes($"ERROR: {message}\r\n"));
        return 1;
    }
}
