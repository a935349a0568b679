using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Acme;

/// <summary>
/// The ACME account key every proxy signs with, and the ordering lease. The lease lives in memory: if this grain's
/// silo dies the lease is simply free again, and the worst case is a second order for the same name.
/// </summary>
internal sealed class AcmeAccountGrain(
    [PersistentState("acme-account", StorageNames.ClusterState)] IPersistentState<AcmeAccountState> state,
    TimeProvider time) : Grain, IAcmeAccountGrain
{
    private string? _holder;
    private DateTimeOffset _leaseExpires;

    public Task<AcmeAccount?> GetAccount() => Task.FromResult(state.State.Account);

    public async Task<AcmeAccount> SaveAccount(AcmeAccount account)
    {
        if (state.State.Account is { } existing && existing.KeyPem != account.KeyPem)
        {
            return existing;
        }

        state.State.Account = account;
        await state.WriteStateAsync();
        return account;
    }

    public Task<bool> TryAcquireLease(string holder, TimeSpan duration)
    {
        var now = time.GetUtcNow();
        if (_holder is not null && _holder != holder && now < _leaseExpires)
        {
            return Task.FromResult(false);
        }

        _holder = holder;
        _leaseExpires = now + duration;
        return Task.FromResult(true);
    }

    public Task ReleaseLease(string holder)
    {
        if (_holder == holder)
        {
            _holder = null;
        }

        return Task.CompletedTask;
    }
}

[GenerateSerializer]
internal sealed class AcmeAccountState
{
    [Id(0)] public AcmeAccount? Account { get; set; }
}
