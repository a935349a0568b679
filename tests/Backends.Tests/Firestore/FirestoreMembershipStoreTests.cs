using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Firestore.Membership;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

[Collection(FirestoreCollection.Name)]
public sealed class FirestoreMembershipStoreTests(FirestoreEmulator emulator) : MembershipTableConformance
{
    private FirestoreDatabase? _database;

    protected override Task<IMembershipStore> CreateStoreAsync()
    {
        _database = Emulator.Database(emulator);
        return Task.FromResult<IMembershipStore>(new FirestoreMembershipStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
