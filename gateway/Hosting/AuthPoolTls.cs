using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Gateway.Identity;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// The proxy's side of the mutual TLS to the auth pool's Orleans gateways: it presents its joined X.509 certificate
/// (role Proxy), re-read for every new connection so a renewal needs no restart, and accepts a silo only with an
/// Auth certificate of this cluster from the cluster's TLS CA.
/// </summary>
internal sealed partial class AuthPoolTls(Func<GatewayHostIdentity> identity, ILogger<AuthPoolTls> logger)
{
    private const string AuthRole = "Auth";
    private readonly Lock _gate = new();
    private string _pem = "";
    private (X509Certificate2 Certificate, X509Certificate2Collection Cas, string Cluster)? _current;

    public TlsOptions Options() => new()
    {
        SslProtocols = SslProtocols.Tls13,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        // Orleans insists on a certificate at configuration time in Require mode; the selector supplies the current one.
        LocalCertificate = Current().Certificate,
        LocalClientCertificateSelector = (_, _, _, _, _) => Current().Certificate,
        RemoteCertificateValidation = (certificate, _, _) => Accept(certificate),
        OnAuthenticateAsClient = (_, options) => options.TargetHost = "teleport.cluster.local",
    };

    private bool Accept(X509Certificate? certificate)
    {
        var (_, cas, cluster) = Current();
        var refusal = ClusterCertificateCheck.Check(certificate, cas, cluster, [AuthRole]);
        if (refusal is not null)
        {
            LogRefused(refusal);
        }

        return refusal is null;
    }

    private (X509Certificate2 Certificate, X509Certificate2Collection Cas, string Cluster) Current()
    {
        var joined = identity();
        lock (_gate)
        {
            if (_current is null || !string.Equals(_pem, joined.TlsCertificatePem, StringComparison.Ordinal))
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(joined.TlsPrivateKeyPem);
                _current = (ProxyIdentity.WithKey(joined.TlsCertificatePem, key), ProxyIdentity.ParseCas(joined.TlsCaPem), joined.ClusterName);
                _pem = joined.TlsCertificatePem;
            }

            return _current.Value;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an auth server's Orleans gateway: {Reason}")]
    private partial void LogRefused(string reason);
}
