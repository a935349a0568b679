using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Access.Identity;

/// <summary>
/// Decides whether a certificate presented on an internal connection (Orleans silo and gateway ports, proxy peering)
/// is an identity of this cluster in one of the expected system roles: it must chain to the cluster's TLS CA, be
/// valid now, name this cluster and carry the role. Names are not checked: hosts are reached by whatever address
/// they advertise, and the identity in the certificate is what counts, as in Teleport.
/// </summary>
public static class ClusterCertificateCheck
{
    /// <summary>Why <paramref name="presented"/> is refused, or null when it is accepted.</summary>
    public static string? Check(
        X509Certificate? presented, IEnumerable<X509Certificate2> trustedCas, string clusterName, IReadOnlyCollection<string> roles)
    {
        if (presented is null)
        {
            return "no certificate was presented";
        }

        // A certificate arriving from a handshake may be the base type; its bytes are all that is needed.
        using var owned = presented as X509Certificate2 is null ? X509CertificateLoader.LoadCertificate(presented.GetRawCertData()) : null;
        var certificate = owned ?? (X509Certificate2)presented;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCas.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
            return $"the certificate of \"{certificate.Subject}\" is not from this cluster's TLS CA or is not valid now ({status})";
        }

        var identity = X509Identity.FromSubject(certificate.SubjectName);
        if (!string.Equals(identity.ClusterName, clusterName, StringComparison.Ordinal))
        {
            return $"the certificate is for cluster \"{identity.ClusterName}\", not \"{clusterName}\"";
        }

        return identity.SystemRoles.Any(r => roles.Contains(r, StringComparer.Ordinal))
            ? null
            : $"the certificate of {identity.Name} is for role \"{string.Join(",", identity.SystemRoles)}\", not {string.Join(" or ", roles)}";
    }
}
