using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.Etcd.Audit;
using Teleport.Orleans.Backends.Etcd.Membership;
using Teleport.Orleans.Backends.Etcd.Storage;

namespace Teleport.Orleans.Backends.Etcd.Hosting;

public static class EtcdBackendSiloBuilderExtensions
{
    /// <summary>
    /// Cluster state, audit events and (with <paramref name="clustering"/>) Orleans membership in etcd under one key
    /// prefix: the auth pool's shared backend.
    /// </summary>
    public static ISiloBuilder UseEtcdBackend(this ISiloBuilder builder, IReadOnlyList<string> peers, string prefix, string storageName, bool clustering)
    {
        builder.ConfigureServices(services => services.AddSingleton(sp => new EtcdDatabase(peers, prefix, sp.GetRequiredService<ILogger<EtcdDatabase>>())));
        builder.AddClusterStateStorage(storageName, sp => new EtcdClusterStateStore(sp.GetRequiredService<EtcdDatabase>()));
        builder.AddAuditEventStore(sp => new EtcdAuditEventStore(sp.GetRequiredService<EtcdDatabase>()));
        if (clustering)
        {
            builder.UseClusterMembership(sp => new EtcdMembershipStore(sp.GetRequiredService<EtcdDatabase>()));
        }

        return builder;
    }
}
