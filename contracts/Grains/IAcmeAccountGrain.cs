using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// The cluster's ACME account at one directory, shared by every proxy, and the ordering lease: one proxy orders
/// certificates at a time. Key: the directory URL.
/// </summary>
public interface IAcmeAccountGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<AcmeAccount?> GetAccount();

    /// <summary>Keeps the account unless one is stored already; returns the stored one.</summary>
    Task<AcmeAccount> SaveAccount(AcmeAccount account);

    /// <summary>
    /// Takes the ordering lease for <paramref name="holder"/> (or extends it when it is theirs) until now +
    /// <paramref name="duration"/>; false while another holder's lease runs.
    /// </summary>
    Task<bool> TryAcquireLease(string holder, TimeSpan duration);

    Task ReleaseLease(string holder);
}
