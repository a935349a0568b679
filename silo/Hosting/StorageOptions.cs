namespace Teleport.Orleans.Silo.Hosting;

/// <summary>Where the auth service keeps cluster state, audit events and session recordings (<c>teleport.storage</c>).</summary>
public sealed record StorageOptions
{
    public StorageKind Kind { get; init; } = StorageKind.Sqlite;

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
}
