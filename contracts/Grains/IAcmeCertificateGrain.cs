using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// One DNS name's ACME state: the certificate every proxy serves for it, and the pending TLS-ALPN-01 key
/// authorization any proxy answers the ACME server's validation with. Key: the lower-case name.
/// </summary>
public interface IAcmeCertificateGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<AcmeCertificate?> GetCertificate();

    Task SaveCertificate(AcmeCertificate certificate);

    /// <summary>The key authorization of the challenge in progress for this name, or null.</summary>
    [ReadOnly]
    Task<string?> GetChallenge();

    /// <summary>Publishes (or with null withdraws) the key authorization while the ACME server validates.</summary>
    Task SetChallenge(string? keyAuthorization);
}
