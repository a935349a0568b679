namespace Teleport.Orleans.Silo.Tls;

/// <summary>
/// Issues the silo's internal TLS certificate once the cluster-state storage is initialised (its tables exist) and
/// before the silo joins its pool, which is the first time it needs the certificate.
/// </summary>
internal sealed class ClusterTransportIdentityLoader(ClusterTransportIdentity identity) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterTransportIdentityLoader), ServiceLifecycleStage.ApplicationServices + 1, identity.LoadAsync);
}
