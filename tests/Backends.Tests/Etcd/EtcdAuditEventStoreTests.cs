using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Audit;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Etcd;

[Collection(EtcdCollection.Name)]
public sealed class EtcdAuditEventStoreTests(EtcdServer server) : AuditEventStoreConformance
{
    private EtcdDatabase? _database;

    protected override Task<IAuditEventStore> CreateStoreAsync()
    {
        _database = new EtcdDatabase([server.ClientUrl], EtcdServer.UniquePrefix());
        return Task.FromResult<IAuditEventStore>(new EtcdAuditEventStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
