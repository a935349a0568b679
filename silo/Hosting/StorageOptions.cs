using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Gcs;
using Teleport.Orleans.Backends.S3;

namespace Teleport.Orleans.Silo.Hosting;

/// <summary>Where the auth service keeps cluster state, audit events and session recordings (<c>teleport.storage</c>).</summary>
public sealed record StorageOptions
{
    public StorageKind Kind { get; init; } = StorageKind.Sqlite;

    /// <summary>SQLite: the directory of the cluster-state database (<c>path</c>); null: <c>DATA_DIR/backend</c>.</summary>
    public string? SqliteDirectory { get; init; }

    /// <summary>PostgreSQL: <c>conn_string</c>, a URL or Npgsql keywords.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>PostgreSQL: a separate database for audit events (<c>audit_events_uri</c>); null keeps them beside the cluster state.</summary>
    public string? AuditConnectionString { get; init; }

    /// <summary>etcd: member URLs (<c>peers</c>).</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>etcd: the key prefix that namespaces this cluster (<c>prefix</c>).</summary>
    public string Prefix { get; init; } = "/teleport";

    /// <summary>Session recordings (<c>audit_sessions_uri</c> file://); null: <c>DATA_DIR/log/records</c>.</summary>
    public string? RecordingsDirectory { get; init; }

    /// <summary>DynamoDB: <c>region</c>, <c>table_name</c> and <c>endpoint</c> of the cluster-state table.</summary>
    public DynamoDbOptions? DynamoDb { get; init; }

    /// <summary>DynamoDB audit events (<c>audit_events_uri: dynamodb://TABLE</c>); null keeps them in the cluster-state table.</summary>
    public DynamoDbOptions? AuditDynamoDb { get; init; }

    /// <summary>Firestore: project, collection, credentials and emulator endpoint of the cluster-state collection.</summary>
    public FirestoreOptions? Firestore { get; init; }

    /// <summary>Firestore audit events (<c>audit_events_uri: firestore://COLLECTION</c>); null: <c>COLLECTION-events</c> beside the state.</summary>
    public FirestoreOptions? AuditFirestore { get; init; }

    /// <summary>Azure: the storage account's connection string (<c>conn_string</c> or AZURE_STORAGE_CONNECTION_STRING).</summary>
    public string? AzureConnectionString { get; init; }

    /// <summary>Session recordings in S3 (<c>audit_sessions_uri: s3://...</c>), with any backend.</summary>
    public S3Location? RecordingsS3 { get; init; }

    /// <summary>Session recordings in Google Cloud Storage (<c>audit_sessions_uri: gs://BUCKET?projectID=...</c>), with any backend.</summary>
    public GcsLocation? RecordingsGcs { get; init; }

    /// <summary>Session recordings in an Azure Blob container (<c>audit_sessions_uri: azblob://HOST/CONTAINER</c>).</summary>
    public string? RecordingsAzureContainer { get; init; }
}
