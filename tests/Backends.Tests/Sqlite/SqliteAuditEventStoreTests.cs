using Microsoft.Data.Sqlite;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Sqlite.Audit;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Sqlite;

public sealed class SqliteAuditEventStoreTests : AuditEventStoreConformance
{
    private readonly TempDirectory _dir = new();

    protected override Task<IAuditEventStore> CreateStoreAsync() =>
        Task.FromResult<IAuditEventStore>(new SqliteAuditEventStore(Path.Combine(_dir.Path, "log", "events.db")));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
