using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterStateStoreTests(PostgresServer server) : ClusterStateStoreConformance
{
    private PostgresDatabase? _database;

    protected override async Task<IClusterStateStore> CreateStoreAsync()
    {
        _database = new PostgresDatabase(server.ConnectionString(await server.CreateSchemaAsync()));
        return new PostgresClusterStateStore(_database);
    }

    public override async Task DisposeAsync() => await _database!.DisposeAsync();
}
