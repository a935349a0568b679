using System.Formats.Asn1;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// RFC 8737 TLS-ALPN-01: the server proves control of a name by answering a handshake that offers ALPN
/// <c>acme-tls/1</c> with a self-signed certificate for that name carrying the critical id-pe-acmeIdentifier
/// extension, whose value is the SHA-256 of the key authorization.
/// </summary>
internal static class TlsAlpnChallenge
{
    public const string ChallengeType = "tls-alpn-01";

    /// <summary>id-pe-acmeIdentifier (RFC 8737 section 6.1).</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    public static readonly SslApplicationProtocol Protocol = new("acme-tls/1");

    /// <summary>The extension's value: <c>Authorization ::= OCTET STRING (SIZE (32))</c> holding SHA-256(key authorization).</summary>
    public static byte[] ExtensionValue(string keyAuthorization)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization)));
        return writer.Encode();
    }

    /// <summary>The certificate to present for <paramref name="name"/> while its challenge is pending.</summary>
    public static X509Certificate2 Certificate(string name, string keyAuthorization)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=ACME challenge"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509Extension(new Oid(AcmeIdentifierOid), ExtensionValue(keyAuthorization), critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Re-import so SslStream on Linux gets a key that is not tied to the ephemeral ECDsa object.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
