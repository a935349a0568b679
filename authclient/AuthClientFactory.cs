using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.AuthClient;

/// <summary>Opens gRPC connections to the auth service over mutual TLS using an identity file's credentials.</summary>
public static class AuthClientFactory
{
    /// <summary>The DNS SAN every auth server certificate carries, whatever address it is reached at.</summary>
    public const string ServerDnsName = "teleport.cluster.local";

    public const int DefaultPort = 3025;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connects to <paramref name="authServer"/> (host:port) over HTTP/2 + TLS, presenting the identity's client
    /// certificate and accepting the server only if its chain ends at one of the identity's CA certificates and it has
    /// the SAN <see cref="ServerDnsName"/>. A call safe to repeat is sent again when its connection is cut
    /// (<see cref="IdempotentCallRetry"/>). The caller disposes <paramref name="channel"/>.
    /// </summary>
    public static AuthService.AuthServiceClient Create(string authServer, IdentityFile identity, out GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(identity);
        channel = CreateChannel(authServer, identity.ClientCertificate(), identity.CaCertificates());
        return new AuthService.AuthServiceClient(channel.Intercept(new IdempotentCallRetry()));
    }

    /// <summary>
    /// The channel every client of the auth API uses (tctl, the node, a proxy): HTTP/2 over TLS presenting
    /// <paramref name="clientCertificate"/>, the server accepted only if it chains to <paramref name="caCertificates"/> and
    /// has the SAN <see cref="ServerDnsName"/>. <paramref name="connect"/> replaces the TCP connection (a node's reverse
    /// tunnel); <paramref name="longLived"/> adds keep-alive pings for a client that stays connected for days.
    /// </summary>
    public static GrpcChannel CreateChannel(
        string authServer,
        X509Certificate2 clientCertificate,
        X509Certificate2Collection caCertificates,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null,
        bool longLived = false)
    {
        var address = AuthServerAddress.ToUri(authServer);
        var validator = new ServerCertificateValidator(caCertificates, ServerDnsName);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                // A certificate context is sent as is; a ClientCertificates collection would be filtered against
                // the issuers the server advertises, which can silently drop our certificate.
                ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true),
                // The system's verdict (errors) is ignored on purpose: it checks the dialled name and system roots,
                // neither of which applies; the validator checks the cluster CA and SAN instead.
                RemoteCertificateValidationCallback = (_, certificate, chain, _) => validator.Validate(certificate, chain),
            },
        };
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }

        if (longLived)
        {
            handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5);
            handler.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(15);
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
    }
}
