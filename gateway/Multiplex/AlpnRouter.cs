using Microsoft.AspNetCore.Connections;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.Ssh.Connection;
using TlsProtocolFeature = Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature;

namespace Teleport.Orleans.Gateway.Multiplex;

/// <summary>
/// Kestrel connection middleware behind TLS on the web port: connections that negotiated
/// <c>teleport-proxy-ssh</c> go to the SSH proxy inside the TLS stream, <c>teleport-reversetunnel</c> to the tunnel server; HTTP (h2, http/1.1) goes on to ASP.NET Core.
/// </summary>
internal sealed class AlpnRouter(SshProxyService sshProxy, TunnelServer tunnels)
{
    public ConnectionDelegate Route(ConnectionDelegate next) => async connection =>
    {
        var protocol = connection.Features.Get<TlsProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        if (protocol.Span.SequenceEqual(AlpnProtocols.ProxySsh.Protocol.Span))
        {
            var server = await sshProxy.Server.Task.WaitAsync(TimeSpan.FromSeconds(30), connection.ConnectionClosed);
            await using var stream = new DuplexPipeStream(connection.Transport);
            await server.RunConnectionAsync(stream, connection.RemoteEndPoint, WebListenerGuard.WaitingOf(connection) is { } waiting ? waiting.Authenticated : null, connection.ConnectionClosed);
            return;
        }

        if (protocol.Span.SequenceEqual(AlpnProtocols.ReverseTunnel.Protocol.Span))
        {
            await using var stream = new DuplexPipeStream(connection.Transport);
            await tunnels.HandleAsync(stream, connection.RemoteEndPoint, connection.ConnectionClosed, WebListenerGuard.WaitingOf(connection));
            return;
        }

        await next(connection);
    };
}
