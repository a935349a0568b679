using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbClusterStateStoreTests(DynaliteServer server) : ClusterStateStoreConformance
{
    private DynamoDbDatabase? _database;

    protected override Task<IClusterStateStore> CreateStoreAsync()
    {
        _database = Dynalite.Database(server);
        return Task.FromResult<IClusterStateStore>(new DynamoDbClusterStateStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
