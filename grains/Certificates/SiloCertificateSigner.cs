using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Access.Identity;

namespace Teleport.Orleans.Grains.Certificates;

/// <summary>
/// Signs a silo's own X.509 certificate (client and server authentication) with the TLS CA's key outside any grain:
/// the silo needs it to join the pool, before any grain can be called. Same encoding as every other identity.
/// </summary>
public static class SiloCertificateSigner
{
    public static string Sign(
        X509Certificate2 tlsCa, ECDsa tlsCaKey, byte[] subjectPublicKeyInfo, X509Identity identity, DateTimeOffset notBefore, DateTimeOffset notAfter, IEnumerable<string> names) =>
        X509CertificateIssuer.Issue(tlsCa, tlsCaKey, subjectPublicKeyInfo, identity, notBefore, notAfter, serverAuth: true, names);
}
