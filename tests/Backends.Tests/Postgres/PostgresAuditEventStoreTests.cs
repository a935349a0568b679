using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Audit;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditEventStoreTests(PostgresServer server) : AuditEventStoreConformance
{
    private PostgresDatabase? _database;

    protected override async Task<IAuditEventStore> CreateStoreAsync()
    {
        _database = new PostgresDatabase(server.ConnectionString(await server.CreateSchemaAsync()));
        return new PostgresAuditEventStore(_database);
    }

    public override async Task DisposeAsync() => await _database!.DisposeAsync();
}
