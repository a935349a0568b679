using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>Owns one certificate authority's key material. Key: the <see cref="CertAuthorityType"/> name in lower case.</summary>
public interface ICertAuthorityGrain : IGrainWithStringKey
{
    /// <summary>Generates and persists the key pair if this CA has none yet.</summary>
    Task<CertAuthorityInfo> Ensure(string clusterName);

    /// <summary>The public half, or null before the cluster is bootstrapped.</summary>
    Task<CertAuthorityInfo?> GetInfo();

    /// <summary>The active keys, for the signing workers only.</summary>
    Task<CertAuthorityKeys> GetSigningKeys();

    static string KeyFor(CertAuthorityType type) => type.ToString().ToLowerInvariant();
}
