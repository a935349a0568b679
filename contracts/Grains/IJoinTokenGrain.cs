using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>A join token. Key: the token's secret name.</summary>
public interface IJoinTokenGrain : IGrainWithStringKey
{
    Task<JoinToken> Create(string[] roles, TimeSpan ttl, Dictionary<string, string> labels, Caller caller);

    [ReadOnly]
    Task<JoinToken?> Get();

    Task Delete(Caller caller);

    /// <summary>
    /// Marks the token used by <paramref name="hostId"/> if it grants <paramref name="role"/> and is unexpired and unused.
    /// The same host presenting the same keys (<paramref name="keyFingerprint"/>) again shortly after gets the same
    /// answer (a retried join is idempotent); any other joiner finds the token used.
    /// </summary>
    Task<JoinToken> Consume(string role, string hostId, string keyFingerprint, Caller caller);
}
