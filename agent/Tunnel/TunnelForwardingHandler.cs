using System.Net;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// The only thing the gateway may open on a tunnel: a channel to target "node", served by the node's own SSH
/// server, so the user's SSH session with the node runs end to end inside it. Anything else is refused.
/// </summary>
internal sealed class TunnelForwardingHandler(SshServer node, EndPoint? proxy, CancellationToken stopping) : ISshForwardingHandler
{
    public const string NodeTarget = "node";

    public ValueTask<Stream?> ConnectAsync(SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        if (request.Host != NodeTarget)
        {
            return ValueTask.FromResult<Stream?>(null);
        }

        var (channelEnd, serverEnd) = InMemoryDuplex.CreatePair();
        _ = Task.Run(async () =>
        {
            await using (serverEnd)
            {
                try
                {
                    await node.RunConnectionAsync(serverEnd, proxy, stopping);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The node server logs its own connection failures; one tunneled connection ending must not end the tunnel.
                }
            }
        }, CancellationToken.None);
        return ValueTask.FromResult<Stream?>(channelEnd);
    }
}
