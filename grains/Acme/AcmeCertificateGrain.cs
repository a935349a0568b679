using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Acme;

/// <summary>One name's issued certificate and pending TLS-ALPN-01 key authorization, persisted so a silo failover keeps both.</summary>
internal sealed class AcmeCertificateGrain(
    [PersistentState("acme-certificate", StorageNames.ClusterState)] IPersistentState<AcmeCertificateState> state) : Grain, IAcmeCertificateGrain
{
    public Task<AcmeCertificate?> GetCertificate() => Task.FromResult(state.State.Certificate);

    public async Task SaveCertificate(AcmeCertificate certificate)
    {
        state.State.Certificate = certificate;
        await state.WriteStateAsync();
    }

    public Task<string?> GetChallenge() => Task.FromResult(state.State.Challenge);

    public async Task SetChallenge(string? keyAuthorization)
    {
        if (state.State.Challenge == keyAuthorization)
        {
            return;
        }

        state.State.Challenge = keyAuthorization;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer]
internal sealed class AcmeCertificateState
{
    [Id(0)] public AcmeCertificate? Certificate { get; set; }

    [Id(1)] public string? Challenge { get; set; }
}
