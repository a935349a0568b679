using Orleans.Storage;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Authorities;

/// <summary>
/// Reads the cluster's X.509 CA straight from the cluster-state backend, before the silo joins its pool, so every
/// silo can issue its own Auth certificate for the internal mutual TLS without a grain call (no grain is callable
/// until the silo has joined, and joining needs the certificate). On an empty backend the first silo creates the
/// CA record here; the CA grain later reads the same record, and a silo that loses the race reads the winner's.
/// This is how Teleport's auth servers share their CA keys: through the backend.
/// </summary>
public static class SharedTlsAuthority
{
    private const string StateName = "authority";

    public static async Task<CertAuthorityKeys> LoadOrCreateAsync(
        IGrainStorage storage, IGrainFactory grains, string clusterName, TimeProvider time, CancellationToken cancellationToken)
    {
        var grainId = grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetGrainId();
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = new GrainState<CertAuthorityState>();
            await storage.ReadStateAsync(StateName, grainId, state);
            state.State ??= new CertAuthorityState();
            if (state.State.Keys is { } keys)
            {
                return keys;
            }

            state.State.Keys = CertAuthorityKeyFactory.Generate(CertAuthorityType.Tls, clusterName, time.GetUtcNow());
            try
            {
                await storage.WriteStateAsync(StateName, grainId, state);
                return state.State.Keys;
            }
            catch (InconsistentStateException) when (attempt < 3)
            {
                // Another silo created it first: read theirs.
            }
        }
    }
}
