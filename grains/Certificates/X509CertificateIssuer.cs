using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Grains.Certificates;

/// <summary>Signs X.509 identity certificates with the cluster's TLS CA for any subject key the client sent.</summary>
internal static class X509CertificateIssuer
{
    public static string Issue(
        SigningKeys keys,
        byte[] subjectPublicKeyInfo,
        X509Identity identity,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        bool serverAuth,
        IEnumerable<string> subjectAltNames) =>
        Issue(keys.TlsCa, keys.TlsCaKey, subjectPublicKeyInfo, identity, notBefore, notAfter, serverAuth, subjectAltNames);

    public static string Issue(
        X509Certificate2 tlsCa,
        ECDsa tlsCaKey,
        byte[] subjectPublicKeyInfo,
        X509Identity identity,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        bool serverAuth,
        IEnumerable<string> subjectAltNames)
    {
        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException ex)
        {
            throw AuthException.BadParameter($"the TLS public key is not a valid DER SubjectPublicKeyInfo: {ex.Message}");
        }

        var request = new CertificateRequest(identity.ToSubject(), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication") };
        if (serverAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(tlsCa, true, false));
        var names = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var name in subjectAltNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }

            any = true;
        }

        if (any)
        {
            request.CertificateExtensions.Add(names.Build());
        }

        var caNotAfter = tlsCa.NotAfter.ToUniversalTime();
        if (notAfter > caNotAfter)
        {
            notAfter = caNotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(tlsCa.SubjectName, X509SignatureGenerator.CreateForECDsa(tlsCaKey), notBefore, notAfter, serial);
        return certificate.ExportCertificatePem();
    }
}
