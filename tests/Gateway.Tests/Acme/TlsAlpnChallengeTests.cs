using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Teleport.Orleans.Gateway.Acme;

namespace Teleport.Orleans.Gateway.Tests.Acme;

public sealed class TlsAlpnChallengeTests
{
    [Fact]
    public void Challenge_certificate_names_only_the_domain_and_holds_the_key_authorization_digest_in_a_critical_extension()
    {
        const string keyAuthorization = "token-123.thumbprint-456";

        using var certificate = TlsAlpnChallenge.Certificate("proxy.example.com", keyAuthorization);

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["proxy.example.com"], san.EnumerateDnsNames());
        var extension = certificate.Extensions["1.3.6.1.5.5.7.1.31"]!;
        Assert.True(extension.Critical);
        // RFC 8737 section 3: the extnValue is the DER OCTET STRING of SHA-256(key authorization).
        var digest = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadOctetString();
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization)), digest);
        Assert.Equal(34, extension.RawData.Length);
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void Certificate_signing_request_asks_for_the_name_as_subject_alternative_name()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var csr = CertificateRequest.LoadSigningRequest(
            AcmeOrderer.SigningRequest("grafana.example.com", key), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

        var san = new X509SubjectAlternativeNameExtension(csr.CertificateExtensions.Single(e => e.Oid!.Value == "2.5.29.17").RawData);
        Assert.Equal(["grafana.example.com"], san.EnumerateDnsNames());
        Assert.Equal("CN=grafana.example.com", csr.SubjectName.Name);
    }
}
