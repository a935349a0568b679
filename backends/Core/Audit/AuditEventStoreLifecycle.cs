using Orleans.Runtime;

namespace Teleport.Orleans.Backends.Core.Audit;

/// <summary>Creates the audit store's tables before grains run, as grain storage does for cluster state.</summary>
internal sealed class AuditEventStoreLifecycle(IAuditEventStore store) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AuditEventStoreLifecycle), ServiceLifecycleStage.ApplicationServices, store.InitializeAsync);
}
