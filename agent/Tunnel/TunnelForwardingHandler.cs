using System.Net;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// The only thing the gateway may open on a tunnel: a channel to target "node", served by the node's own SSH
/// server, so the user's SSH session with the node runs end to end inside it. Anything else is refused.
/// The channel's originator address is the user's, which the node then logs and audits as the remote address.
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

        var client = ClientEndPoint(request) ?? proxy;
        var (channelEnd, serverEnd) = DuplexPipeStream.CreatePair();
        _ = Task.Run(async () =>
        {
            await using (serverEnd)
            {
                try
                {
                    await node.RunConnectionAsync(serverEnd, client, stopping);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The node server logs its own connection failures; one tunneled connection ending must not end the tunnel.
                }
            }
        }, CancellationToken.None);
        return ValueTask.FromResult<Stream?>(channelEnd);
    }

    /// <summary>
    /// The user's address as the gateway put it in the channel's originator fields, so the node's audit shows the
    /// user rather than the proxy; null when the gateway did not know it. Only the authenticated gateway can open
    /// channels on this tunnel, so the value is as trustworthy as the proxy.
    /// </summary>
    internal static IPEndPoint? ClientEndPoint(SshDirectTcpIpRequest request) =>
        IPAddress.TryParse(request.OriginatorAddress, out var address) && !address.Equals(IPAddress.Any) && request.OriginatorPort <= 65535
            ? new IPEndPoint(address, (int)request.OriginatorPort)
            : null;
}
