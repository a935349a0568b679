using System.Net.Security;
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
    /// the SAN <see cref="ServerDnsName"/>. The caller disposes <paramref name="channel"/>.
    /// </summary>
    public static AuthService.AuthServiceClient Create(string authServer, IdentityFile identity, out GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var address = AuthServerAddress.ToUri(authServer);
        var clientCertificate = identity.ClientCertificate();
        var validator = new ServerCertificateValidator(identity.CaCertificates(), ServerDnsName);

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

        channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        return new AuthService.AuthServiceClient(channel);
    }
}
