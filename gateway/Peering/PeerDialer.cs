using System.Net.Security;
using System.Net.Sockets;
using Teleport.Orleans.Gateway.Identity;

namespace Teleport.Orleans.Gateway.Peering;

/// <summary>
/// Asks the gateway holding a node's reverse tunnel (at the peer address it recorded in the node grain) for a
/// channel to the node, over mutual TLS; the returned stream carries the node's SSH as a tunnel channel would. With a
/// <c>target</c> (host:port), the channel is to that app through the app service's tunnel instead.
/// </summary>
internal sealed class PeerDialer(ProxyIdentityProvider identities)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The connection, or a <see cref="PeerDialException"/> saying why not.</summary>
    public async Task<Stream> DialAsync(string peerAddress, string hostId, string clientAddress, string target, CancellationToken cancellationToken)
    {
        var (host, port) = PeerAddress.Split(peerAddress);
        var identity = await identities.GetAsync(cancellationToken);
        var client = new TcpClient { NoDelay = true };
        SslStream? tls = null;
        string? refusal = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(PeerCertificates.Client(identity, host, reason => refusal = reason), timeout.Token);
            await new PeerRequest(hostId, clientAddress, target).WriteAsync(tls, timeout.Token);
            var answer = await PeerRequest.ReadAnswerAsync(tls, timeout.Token);
            if (answer is not null)
            {
                throw new PeerDialException(answer, declined: true);
            }

            return tls;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            await Close(tls, client);
            var reason = refusal ?? (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested ? "timed out" : ex.Message);
            throw new PeerDialException($"cannot reach gateway {peerAddress}: {reason}", declined: false);
        }
        catch (PeerDialException)
        {
            await Close(tls, client);
            throw;
        }
    }

    private static async Task Close(SslStream? tls, TcpClient client)
    {
        if (tls is not null)
        {
            await tls.DisposeAsync();
        }

        client.Dispose();
    }
}

/// <summary>
/// Why a peer gateway could not give a channel to a node. <see cref="Declined"/>: the peer answered that it does not
/// hold the tunnel (any more), so the routing record may be stale.
/// </summary>
internal sealed class PeerDialException(string message, bool declined) : Exception(message)
{
    public bool Declined { get; } = declined;
}
