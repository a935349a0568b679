using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Firestore.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

/// <summary>The emulator stopped (after exporting its documents) and started again from the export.</summary>
public sealed class FirestoreRestartTests : ServerRestartConformance
{
    private readonly FirestoreEmulator _emulator = new();
    private FirestoreDatabase? _database;

    protected override Task StartServerAsync() => _emulator.StartAsync();

    protected override Task StopServerAsync() => _emulator.StopAsync();

    protected override async Task DisposeServerAsync()
    {
        _database?.Dispose();
        await _emulator.DisposeAsync();
    }

    protected override IClusterStateStore? CreateStateStore()
    {
        _database = Emulator.Database(_emulator, retry: QuickRetry);
        return new FirestoreClusterStateStore(_database);
    }

    protected override IRecordingStore? CreateRecordingStore() => null;
}
