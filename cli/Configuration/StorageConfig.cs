namespace Teleport.Orleans.Configuration;

/// <summary>
/// teleport.storage: the cluster-state backend and where audit events and session recordings go.
/// Backends take different settings, so the common ones are typed and every other key is kept in <see cref="Extra"/>.
/// </summary>
public sealed class StorageConfig
{
    /// <summary>type: the backend. Default: SQLite.</summary>
    public StorageType Type { get; init; } = StorageType.Sqlite;

    /// <summary>path: directory of the SQLite database. The loader fills in data_dir/backend for SQLite.</summary>
    public string? Path { get; init; }

    /// <summary>conn_string: PostgreSQL/CockroachDB connection string (or Azure Storage connection string).</summary>
    public string? ConnString { get; init; }

    /// <summary>region: DynamoDB's AWS region.</summary>
    public string? Region { get; init; }

    /// <summary>table_name: DynamoDB table (or Azure table) for cluster state.</summary>
    public string? TableName { get; init; }

    /// <summary>endpoint: a non-default service endpoint (local DynamoDB, Firestore emulator, Azurite).</summary>
    public string? Endpoint { get; init; }

    /// <summary>peers: etcd member URLs.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>prefix: etcd key prefix that namespaces this cluster's keys.</summary>
    public string? Prefix { get; init; }

    /// <summary>audit_events_uri: one or more audit-event stores ("file:///...", "dynamodb://table", "postgresql://...").</summary>
    public IReadOnlyList<string> AuditEventsUri { get; init; } = [];

    /// <summary>audit_sessions_uri: session-recording store ("s3://bucket/path", "gs://...", "azblob://...", "file:///...").</summary>
    public string? AuditSessionsUri { get; init; }

    /// <summary>
    /// Every other key of the section, by name. Values are <see cref="string"/> (or null) for scalars,
    /// <see cref="IReadOnlyList{T}"/> of object? for lists and <see cref="IReadOnlyDictionary{TKey, TValue}"/> for maps.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Extra { get; init; } = new Dictionary<string, object?>();

    /// <summary>A scalar from <see cref="Extra"/>, or null when absent or not a scalar.</summary>
    public string? GetExtraString(string key) => Extra.TryGetValue(key, out var value) ? value as string : null;
}
