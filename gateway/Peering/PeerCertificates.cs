using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Gateway.Identity;

namespace Teleport.Orleans.Gateway.Peering;

/// <summary>
/// Mutual TLS between gateways: each side presents its X.509 host certificate and accepts the other only with a
/// certificate from this cluster's TLS CA, valid now, for system role Proxy. Names are not checked (a peer is
/// reached by whatever address it advertised); the identity in the certificate is what counts, as in Teleport.
/// </summary>
internal static class PeerCertificates
{
    public const string ProxyRole = "Proxy";

    private static readonly SslApplicationProtocol s_protocol = new("teleport-peer/1");

    /// <summary>Why <paramref name="presented"/> is not a gateway of this cluster, or null when it is.</summary>
    public static string? Check(X509Certificate? presented, ProxyIdentity identity) =>
        presented is null
            ? "the peer presented no certificate"
            : ClusterCertificateCheck.Check(presented, identity.TlsCa, identity.ClusterName, [ProxyRole]) is { } reason ? $"the peer is refused: {reason}" : null;

    public static SslServerAuthenticationOptions Server(ProxyIdentity identity, Action<string?> refusal) => new()
    {
        ServerCertificate = identity.TlsCertificate,
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ApplicationProtocols = [s_protocol],
        RemoteCertificateValidationCallback = (_, certificate, _, _) => Accept(certificate, identity, refusal),
    };

    public static SslClientAuthenticationOptions Client(ProxyIdentity identity, string targetHost, Action<string?> refusal) => new()
    {
        TargetHost = targetHost,
        ClientCertificates = [identity.TlsCertificate],
        // Always present the certificate, whatever CA names the peer lists in its request.
        LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.TlsCertificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ApplicationProtocols = [s_protocol],
        RemoteCertificateValidationCallback = (_, certificate, _, _) => Accept(certificate, identity, refusal),
    };

    private static bool Accept(X509Certificate? certificate, ProxyIdentity identity, Action<string?> refusal)
    {
        var reason = Check(certificate, identity);
        refusal(reason);
        return reason is null;
    }
}
