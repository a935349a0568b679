using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Changes;

namespace Teleport.Orleans.Grains.Authorities;

/// <summary>Owns one CA's key material: generates it once, persists it, hands it to the signing workers.</summary>
internal sealed partial class CertAuthorityGrain(
    [PersistentState("authority", StorageNames.ClusterState)] IPersistentState<CertAuthorityState> state,
    TimeProvider time,
    ILogger<CertAuthorityGrain> logger) : Grain, ICertAuthorityGrain
{
    private CertAuthorityType Type => Enum.Parse<CertAuthorityType>(this.GetPrimaryKeyString(), ignoreCase: true);

    public async Task<CertAuthorityInfo> Ensure(string clusterName)
    {
        if (state.State.Keys is null)
        {
            state.State.Keys = CertAuthorityKeyFactory.Generate(Type, clusterName, time.GetUtcNow());
            await state.WriteStateAsync();
            LogGenerated(Type, state.State.Keys.Fingerprint);
            await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.CertAuthority, Name = this.GetPrimaryKeyString() });
        }

        return ToInfo(state.State.Keys);
    }

    public Task<CertAuthorityInfo?> GetInfo() =>
        Task.FromResult(state.State.Keys is { } keys ? ToInfo(keys) : null);

    public Task<CertAuthorityKeys> GetSigningKeys() =>
        state.State.Keys is { } keys
            ? Task.FromResult(keys)
            : throw AuthException.NotFound($"the {Type} certificate authority has not been created yet");

    private static CertAuthorityInfo ToInfo(CertAuthorityKeys keys) => new()
    {
        Type = keys.Type,
        ClusterName = keys.ClusterName,
        Public = keys.Public,
        Fingerprint = keys.Fingerprint,
        Generation = keys.Generation,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated the {Type} certificate authority, fingerprint {Fingerprint}")]
    private partial void LogGenerated(CertAuthorityType type, string fingerprint);
}

[GenerateSerializer]
internal sealed class CertAuthorityState
{
    [Id(0)] public CertAuthorityKeys? Keys { get; set; }
}
