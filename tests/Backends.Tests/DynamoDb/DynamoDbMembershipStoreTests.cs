using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Membership;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbMembershipStoreTests(DynaliteServer server) : MembershipTableConformance
{
    private DynamoDbDatabase? _database;

    protected override Task<IMembershipStore> CreateStoreAsync()
    {
        _database = Dynalite.Database(server);
        return Task.FromResult<IMembershipStore>(new DynamoDbMembershipStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
