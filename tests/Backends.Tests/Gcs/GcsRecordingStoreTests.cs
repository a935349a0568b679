using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Gcs;
using Teleport.Orleans.Backends.Gcs.Recordings;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers.Gcs;

namespace Teleport.Orleans.Backends.Tests.Gcs;

/// <summary>
/// The recording-store conformance suite against <see cref="FakeGcsJsonApiServer"/> (a fake of GCS's JSON API, not
/// GCS: no emulator can be installed here); after each test the fake must have seen no protocol violation.
/// </summary>
public sealed class GcsRecordingStoreTests : RecordingStoreConformance
{
    private readonly FakeGcsJsonApiServer _server = new();
    private GcsRecordingStore? _store;

    internal static GcsLocation Location(FakeGcsJsonApiServer server, string? bucket = null, string prefix = "cluster/records") =>
        GcsLocation.Parse($"gs://{bucket ?? FakeGcsJsonApiServer.UniqueBucket()}?projectID=test-project&path={prefix}&endpoint={Uri.EscapeDataString(server.Endpoint)}");

    protected override Task<IRecordingStore> CreateStoreAsync()
    {
        _store = new GcsRecordingStore(Location(_server));
        return Task.FromResult<IRecordingStore>(_store);
    }

    public override async Task DisposeAsync()
    {
        _store!.Dispose();
        await _server.DisposeAsync();
        Assert.Empty(_server.Violations);
    }
}
