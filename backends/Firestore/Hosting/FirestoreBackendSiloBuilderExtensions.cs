using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.Firestore.Audit;
using Teleport.Orleans.Backends.Firestore.Membership;
using Teleport.Orleans.Backends.Firestore.Storage;

namespace Teleport.Orleans.Backends.Firestore.Hosting;

public static class FirestoreBackendSiloBuilderExtensions
{
    /// <summary>
    /// Cluster state and (with <paramref name="clustering"/>) Orleans membership in one Firestore collection: the
    /// auth pool's shared backend.
    /// </summary>
    public static ISiloBuilder UseFirestoreBackend(this ISiloBuilder builder, FirestoreOptions options, string storageName, bool clustering)
    {
        AddDatabase(builder, options);
        builder.AddClusterStateStorage(storageName, sp => new FirestoreClusterStateStore(sp.GetRequiredKeyedService<FirestoreDatabase>(options)));
        if (clustering)
        {
            builder.UseClusterMembership(sp => new FirestoreMembershipStore(sp.GetRequiredKeyedService<FirestoreDatabase>(options)));
        }

        return builder;
    }

    /// <summary>Audit events in a Firestore collection (<c>audit_events_uri: firestore://COLLECTION</c>).</summary>
    public static ISiloBuilder UseFirestoreAuditEvents(this ISiloBuilder builder, FirestoreOptions options)
    {
        AddDatabase(builder, options);
        return builder.AddAuditEventStore(sp => new FirestoreAuditEventStore(sp.GetRequiredKeyedService<FirestoreDatabase>(options)));
    }

    private static void AddDatabase(ISiloBuilder builder, FirestoreOptions options) =>
        builder.ConfigureServices(services => services.AddKeyedSingleton(options, (sp, _) => new FirestoreDatabase(options, sp.GetRequiredService<ILogger<FirestoreDatabase>>())));
}
