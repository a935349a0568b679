using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Firestore.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

/// <summary>The emulator stopped (after exporting its documents) and started again from the export.</summary>
public sealed class FirestoreRestartTests : ServerRestartConformance<FirestoreEmulator>
{
    protected override IClusterStateStore CreateStateStore() => new FirestoreClusterStateStore(Own(Emulator.Database(Server, retry: QuickRetry)));
}
