using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Identity;
using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Peering;

/// <summary>
/// The peer listener (proxy_service.peer_listen_addr, 3021): another gateway that a user reached asks this one for
/// a channel through a reverse tunnel it holds (to a node's SSH server, or to an app through its app service's), over mutual TLS with Proxy certificates. Only tunnels held here
/// are served, so a request is never forwarded twice.
/// </summary>
internal sealed partial class PeerServer(
    GatewayOptions options, ProxyIdentityProvider identities, TunnelRegistry tunnels, ILogger<PeerServer> logger) : BackgroundService
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Completes with the bound endpoint once the listener accepts connections (never without a listener).</summary>
    public TaskCompletionSource<EndPoint> Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.PeerListenEndpoint is not { } endpoint)
        {
            return;
        }

        using var listener = new TcpListener(endpoint);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            Listening.TrySetException(ex);
            throw;
        }

        LogListening(logger, listener.LocalEndpoint.ToString() ?? "", options.PeerPublicAddr);
        Listening.TrySetResult(listener.LocalEndpoint);
        await TcpAcceptLoop.RunAsync(listener, ServeAsync, stoppingToken);
    }

    private async Task<Stream?> OpenApp(PeerRequest request, CancellationToken cancellationToken)
    {
        var (host, port) = PeerAddress.Split(request.Target);
        return await tunnels.OpenApp(request.HostId, host, port, request.ClientAddress, cancellationToken);
    }

    /// <summary>Serves one peer connection until it ends; never throws.</summary>
    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var from = socket.RemoteEndPoint?.ToString() ?? "";
        string? refusal = null;
        try
        {
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var identity = await identities.GetAsync(cancellationToken);
            PeerRequest request;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(PeerCertificates.Server(identity, reason => refusal = reason), timeout.Token);
                request = await PeerRequest.ReadAsync(tls, timeout.Token);
            }

            Stream? node;
            try
            {
                node = request.Target.Length == 0
                    ? await tunnels.Open(request.HostId, request.ClientAddress, cancellationToken)
                    : await OpenApp(request, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or Ssh.Client.SshChannelOpenException)
            {
                await PeerRequest.AnswerAsync(tls, $"the reverse tunnel of node {request.HostId} failed: {ex.Message}", cancellationToken);
                return;
            }

            if (node is null)
            {
                await PeerRequest.AnswerAsync(tls, $"this gateway holds no reverse tunnel for node {request.HostId}", cancellationToken);
                return;
            }

            await using (node)
            {
                await PeerRequest.AnswerAsync(tls, null, cancellationToken);
                LogForwarding(logger, request.HostId, from, request.ClientAddress);
                await StreamSplice.RunAsync(tls, node, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPeerFailed(logger, from, refusal ?? ex.Message);
        }
    }
}
