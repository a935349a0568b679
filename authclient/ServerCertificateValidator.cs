using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.AuthClient;

/// <summary>
/// Accepts an auth server certificate only if it chains to one of the cluster's CA certificates and names the
/// cluster-internal DNS SAN. The system trust store plays no part: the cluster CA is the only root of trust.
/// </summary>
internal sealed class ServerCertificateValidator(X509Certificate2Collection roots, string requiredDnsName)
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public bool Validate(X509Certificate? certificate, X509Chain? presented)
    {
        var reason = Check(certificate, presented);
        // Throwing carries the reason out through SslStream and HttpClient to the caller's RpcException.
        return reason is null ? true : throw new ServerCertificateException(reason);
    }

    /// <summary>Null when the certificate is acceptable, otherwise why not.</summary>
    public string? Check(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is null)
        {
            return "the auth server presented no certificate";
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        if (presented is not null)
        {
            // Intermediates the server sent, if any.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        if (!chain.Build(leaf))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
            return $"the auth server certificate ({leaf.Subject}) is not trusted by the identity's cluster CA: {status}";
        }

        var names = DnsNames(leaf);
        if (!names.Contains(requiredDnsName, StringComparer.OrdinalIgnoreCase))
        {
            var found = names.Count == 0 ? "none" : string.Join(", ", names);
            return $"the auth server certificate does not carry the DNS name {requiredDnsName} (it has: {found})";
        }

        return null;
    }

    private static List<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames())
            .ToList();
}
