using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Etcd;

[Collection(EtcdCollection.Name)]
public sealed class EtcdClusterStateStoreTests(EtcdServer server) : ClusterStateStoreConformance
{
    private EtcdDatabase? _database;

    protected override Task<IClusterStateStore> CreateStoreAsync()
    {
        _database = new EtcdDatabase([server.ClientUrl], EtcdServer.UniquePrefix());
        return Task.FromResult<IClusterStateStore>(new EtcdClusterStateStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
