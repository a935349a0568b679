using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Membership;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipStoreTests(PostgresServer server) : MembershipTableConformance
{
    private PostgresDatabase? _database;

    protected override async Task<IMembershipStore> CreateStoreAsync()
    {
        _database = new PostgresDatabase(server.ConnectionString(await server.CreateSchemaAsync()));
        return new PostgresMembershipStore(_database);
    }

    public override async Task DisposeAsync() => await _database!.DisposeAsync();
}
