using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Firestore.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

[Collection(FirestoreCollection.Name)]
public sealed class FirestoreClusterStateStoreTests(FirestoreEmulator emulator) : ClusterStateStoreConformance
{
    private FirestoreDatabase? _database;

    protected override Task<IClusterStateStore> CreateStoreAsync()
    {
        _database = Emulator.Database(emulator);
        return Task.FromResult<IClusterStateStore>(new FirestoreClusterStateStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
