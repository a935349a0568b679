using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Silo.Tls;

/// <summary>
/// The auth API's TLS server certificate and the CA that client certificates must chain to. Filled once the
/// cluster is bootstrapped; until then TLS handshakes fail rather than serve a certificate nobody can trust.
/// </summary>
public sealed class AuthTlsCredentials
{
    private volatile X509Certificate2? _serverCertificate;
    private volatile X509Certificate2? _clientCa;

    public X509Certificate2? ServerCertificate => _serverCertificate;

    public void Set(X509Certificate2 serverCertificate, X509Certificate2 clientCa)
    {
        _clientCa = clientCa;
        _serverCertificate = serverCertificate;
    }

    /// <summary>Accepts a client certificate only if it chains to the cluster's X.509 CA and allows client authentication.</summary>
    public bool IsTrustedClient(X509Certificate2 certificate)
    {
        var ca = _clientCa;
        if (ca is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }
}
