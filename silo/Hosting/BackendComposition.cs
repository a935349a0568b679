using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Teleport.Orleans.Backends.Azure.Hosting;
using Teleport.Orleans.Backends.Azure.Recordings;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.DynamoDb.Hosting;
using Teleport.Orleans.Backends.Etcd.Hosting;
using Teleport.Orleans.Backends.Firestore.Hosting;
using Teleport.Orleans.Backends.Gcs.Recordings;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Hosting;
using Teleport.Orleans.Backends.S3.Recordings;
using Teleport.Orleans.Backends.Sqlite.Hosting;
using Teleport.Orleans.Grains;

namespace Teleport.Orleans.Silo.Hosting;

/// <summary>Puts the configured backend under the silo: its grain storage, audit store, recordings and clustering.</summary>
internal static class BackendComposition
{
    public static ISiloBuilder UseAuthBackend(this ISiloBuilder silo, AuthServiceOptions options)
    {
        var storage = options.Storage;
        switch (storage.Kind)
        {
            case StorageKind.Sqlite:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                silo.UseSqliteBackend(options.DataDir, StorageNames.ClusterState, storage.SqliteDirectory);
                break;
            case StorageKind.PostgreSql:
                UseSharedEndpoints(silo, options);
                silo.UsePostgresBackend(
                    PostgresConnectionStrings.ToNpgsql(storage.ConnectionString!),
                    StorageNames.ClusterState,
                    clustering: true,
                    storage.AuditConnectionString is { } audit ? PostgresConnectionStrings.ToNpgsql(audit) : null);
                break;
            case StorageKind.Etcd:
                UseSharedEndpoints(silo, options);
                silo.UseEtcdBackend(storage.Peers, storage.Prefix, StorageNames.ClusterState, clustering: true);
                break;
            case StorageKind.DynamoDb:
                UseSharedEndpoints(silo, options);
                silo.UseDynamoDbBackend(storage.DynamoDb!, StorageNames.ClusterState, clustering: true);
                silo.UseDynamoDbAuditEvents(storage.AuditDynamoDb ?? storage.DynamoDb!);
                break;
            case StorageKind.Azure:
                UseSharedEndpoints(silo, options);
                silo.UseAzureBackend(storage.AzureConnectionString!, StorageNames.ClusterState, clustering: true);
                silo.UseAzureAuditEvents(storage.AzureConnectionString!);
                break;
            case StorageKind.Firestore:
                UseSharedEndpoints(silo, options);
                silo.UseFirestoreBackend(storage.Firestore!, StorageNames.ClusterState, clustering: true);
                silo.UseFirestoreAuditEvents(storage.AuditFirestore!);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), storage.Kind, "unknown storage kind");
        }

        IRecordingStore recordings = storage switch
        {
            { RecordingsS3: { } s3 } => new S3RecordingStore(s3),
            { RecordingsGcs: { } gcs } => new GcsRecordingStore(gcs),
            { RecordingsAzureContainer: { } container } => new AzureBlobRecordingStore(storage.AzureConnectionString!, container),
            _ => new FileRecordingStore(storage.RecordingsDirectory ?? Path.Combine(options.DataDir, "log", "records")),
        };
        silo.AddRecordingStore(recordings);
        return silo;
    }

    /// <summary>
    /// Silos of a pool find each other in the shared membership table at the address they advertise. A loopback
    /// address (the default, for one host) keeps the ports on loopback; any other listens on all interfaces.
    /// </summary>
    private static void UseSharedEndpoints(ISiloBuilder silo, AuthServiceOptions options)
    {
        // A silo that crashed stays Active in the table until its peers vote it dead; a silo joining alone cannot
        // reach it and waits until its IAmAlive row is stale (2 × this timeout; Orleans' default of 5 min would
        // keep a restarted single auth server waiting 10 min). A restart on the same silo port supersedes the
        // old incarnation at once.
        silo.Configure<ClusterMembershipOptions>(membership => membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30));
        silo.Configure<EndpointOptions>(endpoints =>
        {
            var listen = IPAddress.IsLoopback(options.AdvertiseAddress) ? options.AdvertiseAddress : IPAddress.Any;
            endpoints.AdvertisedIPAddress = options.AdvertiseAddress;
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(listen, options.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, options.GatewayPort);
        });
    }
}
