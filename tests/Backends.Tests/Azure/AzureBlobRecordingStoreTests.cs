using Teleport.Orleans.Backends.Azure.Recordings;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobRecordingStoreTests(AzuriteServer server) : RecordingStoreConformance
{
    protected override Task<IRecordingStore> CreateStoreAsync() =>
        Task.FromResult<IRecordingStore>(new AzureBlobRecordingStore(server.ConnectionString, AzuriteServer.UniqueName()));
}
