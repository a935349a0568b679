using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.S3.Recordings;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3RecordingStoreTests(S3rverServer server) : RecordingStoreConformance
{
    private S3RecordingStore? _store;

    protected override Task<IRecordingStore> CreateStoreAsync()
    {
        _store = new S3RecordingStore(S3rver.Location(server));
        return Task.FromResult<IRecordingStore>(_store);
    }

    public override Task DisposeAsync()
    {
        _store!.Dispose();
        return Task.CompletedTask;
    }
}
