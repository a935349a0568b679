using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Firestore.Audit;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

[Collection(FirestoreCollection.Name)]
public sealed class FirestoreAuditEventStoreTests(FirestoreEmulator emulator) : AuditEventStoreConformance
{
    private FirestoreDatabase? _database;

    protected override Task<IAuditEventStore> CreateStoreAsync()
    {
        _database = Emulator.Database(emulator);
        return Task.FromResult<IAuditEventStore>(new FirestoreAuditEventStore(_database));
    }

    public override Task DisposeAsync()
    {
        _database!.Dispose();
        return Task.CompletedTask;
    }
}
