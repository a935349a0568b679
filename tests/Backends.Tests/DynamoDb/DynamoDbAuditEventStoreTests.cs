using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Audit;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbAuditEventStoreTests(DynaliteServer server) : AuditEventStoreConformance
{
    private DynamoDbDatabase? _database;

    protected override Task<IAuditEventStore> CreateStoreAsync()
    {
        _database = Dynalite.Database(server);
        return Task.FromResult<IAuditEventStore>(new DynamoDbAuditEventStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
