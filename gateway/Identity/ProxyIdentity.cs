using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.Identity;

/// <summary>
/// The proxy's host identity: its SSH host key and certificate (role Proxy) with the user and host CAs it trusts,
/// and its X.509 certificate (role Proxy, client and server auth) with the cluster's TLS CA, which gateways use to
/// authenticate each other when one forwards a connection to the tunnel another holds.
/// </summary>
internal sealed record ProxyIdentity(
    SshPrivateKey HostKey,
    SshCertificate HostCertificate,
    SshPublicKey UserCa,
    string ClusterName,
    SshPublicKey HostCa,
    X509Certificate2 TlsCertificate,
    X509Certificate2Collection TlsCa)
{
    /// <summary>When the X.509 certificate should be replaced: at two thirds of its lifetime, as nodes renew theirs.</summary>
    public DateTimeOffset RenewAt
    {
        get
        {
            var notBefore = new DateTimeOffset(TlsCertificate.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(TlsCertificate.NotAfter.ToUniversalTime());
            return notBefore + ((notAfter - notBefore) * 2 / 3);
        }
    }

    public static ProxyIdentity FromJoined(GatewayHostIdentity joined)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(joined.TlsPrivateKeyPem);
        return new ProxyIdentity(
            SshPrivateKey.Parse(joined.SshPrivateKeyPem),
            SshCertificate.Parse(joined.SshCertificate),
            ParseKey(joined.UserCa),
            joined.ClusterName,
            ParseKey(joined.HostCa),
            WithKey(joined.TlsCertificatePem, key),
            ParseCas(joined.TlsCaPem));
    }

    /// <summary>The certificate from PEM with its private key attached, in a form SslStream can present on Linux.</summary>
    public static X509Certificate2 WithKey(string certificatePem, ECDsa key)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is not tied to the ECDsa object the caller disposes.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2Collection ParseCas(string pem)
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPem(pem);
        return cas;
    }

    /// <summary>The key from an authorized_keys-style line that may carry options in front (cert-authority ...).</summary>
    public static SshPublicKey ParseKey(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = Array.FindIndex(parts, p => p.StartsWith("ssh-", StringComparison.Ordinal) || p.StartsWith("ecdsa-", StringComparison.Ordinal));
        return SshPublicKey.Parse(start >= 0 && start + 1 < parts.Length ? $"{parts[start]} {parts[start + 1]}" : line);
    }
}
