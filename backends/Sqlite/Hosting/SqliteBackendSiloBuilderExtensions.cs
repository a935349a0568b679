using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.Sqlite.Audit;
using Teleport.Orleans.Backends.Sqlite.Storage;

namespace Teleport.Orleans.Backends.Sqlite.Hosting;

public static class SqliteBackendSiloBuilderExtensions
{
    /// <summary>
    /// Cluster state in <c>BACKEND_DIR/cluster-state.db</c> (<c>storage.path</c>, default <c>DATA_DIR/backend</c>),
    /// audit events in <c>DATA_DIR/log/events.db</c>.
    /// </summary>
    public static ISiloBuilder UseSqliteBackend(this ISiloBuilder builder, string dataDir, string storageName, string? backendDirectory = null)
    {
        var statePath = Path.Combine(backendDirectory ?? Path.Combine(dataDir, "backend"), "cluster-state.db");
        var auditPath = Path.Combine(dataDir, "log", "events.db");
        var store = new SqliteClusterStateStore(statePath);
        builder.AddClusterStateStorage(storageName, _ => store);
        builder.AddAuditEventStore(new SqliteAuditEventStore(auditPath));
        return builder;
    }
}
