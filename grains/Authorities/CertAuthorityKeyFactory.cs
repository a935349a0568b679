using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Grains.Authorities;

/// <summary>Generates CA key material: Ed25519 for the SSH CAs, ECDSA P-256 with a self-signed root for the X.509 CA, RSA for the JWT CA.</summary>
public static class CertAuthorityKeyFactory
{
    private static readonly TimeSpan TlsCaLifetime = TimeSpan.FromDays(10 * 365);

    public static CertAuthorityKeys Generate(CertAuthorityType type, string clusterName, DateTimeOffset now) =>
        type switch
        {
            CertAuthorityType.Tls => GenerateTls(clusterName, now),
            CertAuthorityType.Jwt => GenerateJwt(clusterName),
            _ => GenerateSsh(type, clusterName),
        };

    /// <summary>Teleport's CA pin: sha256 of the CA certificate's SubjectPublicKeyInfo.</summary>
    public static string CaPin(X509Certificate2 caCertificate) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(caCertificate.PublicKey.ExportSubjectPublicKeyInfo()));

    private static CertAuthorityKeys GenerateSsh(CertAuthorityType type, string clusterName)
    {
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        return new CertAuthorityKeys
        {
            Type = type,
            ClusterName = clusterName,
            PrivateKey = key.ToOpenSshPem($"{clusterName} {type.ToString().ToLowerInvariant()} CA"),
            Public = key.PublicKey.ToAuthorizedKeysLine(),
            Fingerprint = key.PublicKey.Fingerprint,
            Generation = 1,
        };
    }

    /// <summary>The JWT CA: an RSA 2048 key, as Teleport's (RS256 is what applications verify most widely).</summary>
    private static CertAuthorityKeys GenerateJwt(string clusterName)
    {
        using var key = RSA.Create(2048);
        return new CertAuthorityKeys
        {
            Type = CertAuthorityType.Jwt,
            ClusterName = clusterName,
            PrivateKey = key.ExportPkcs8PrivateKeyPem(),
            Public = key.ExportSubjectPublicKeyInfoPem(),
            Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())),
            Generation = 1,
        };
    }

    private static CertAuthorityKeys GenerateTls(string clusterName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(clusterName);
        subject.AddCommonName(clusterName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-1), now.Add(TlsCaLifetime));
        return new CertAuthorityKeys
        {
            Type = CertAuthorityType.Tls,
            ClusterName = clusterName,
            PrivateKey = key.ExportPkcs8PrivateKeyPem(),
            Public = certificate.ExportCertificatePem(),
            Fingerprint = CaPin(certificate),
            Generation = 1,
        };
    }
}
