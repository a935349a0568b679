using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Membership;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Etcd;

[Collection(EtcdCollection.Name)]
public sealed class EtcdMembershipStoreTests(EtcdServer server) : MembershipTableConformance
{
    private EtcdDatabase? _database;

    protected override Task<IMembershipStore> CreateStoreAsync()
    {
        _database = new EtcdDatabase([server.ClientUrl], EtcdServer.UniquePrefix());
        return Task.FromResult<IMembershipStore>(new EtcdMembershipStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
