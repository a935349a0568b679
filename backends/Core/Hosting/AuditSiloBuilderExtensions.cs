using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Teleport.Orleans.Backends.Core.Audit;

namespace Teleport.Orleans.Backends.Core.Hosting;

public static class AuditSiloBuilderExtensions
{
    /// <summary>Registers the audit event store and initializes it with the silo.</summary>
    public static ISiloBuilder AddAuditEventStore(this ISiloBuilder builder, IAuditEventStore store) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(store);
            services.AddSingleton<GroupCommitAuditLog>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AuditEventStoreLifecycle>();
        });

    /// <summary>Registers the audit event store that <paramref name="storeFactory"/> builds from the silo's services.</summary>
    public static ISiloBuilder AddAuditEventStore(this ISiloBuilder builder, Func<IServiceProvider, IAuditEventStore> storeFactory) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(storeFactory);
            services.AddSingleton<GroupCommitAuditLog>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AuditEventStoreLifecycle>();
        });
}
