using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.S3.Recordings;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

public sealed class S3rverRestartTests : ServerRestartConformance
{
    private readonly S3rverServer _server = new();
    private S3RecordingStore? _store;

    protected override Task StartServerAsync() => _server.StartAsync();

    protected override Task StopServerAsync() => _server.StopAsync();

    protected override async Task DisposeServerAsync()
    {
        _store?.Dispose();
        await _server.DisposeAsync();
    }

    protected override IClusterStateStore? CreateStateStore() => null;

    protected override IRecordingStore? CreateRecordingStore()
    {
        _store = new S3RecordingStore(S3rver.Location(_server), retry: QuickRetry);
        return _store;
    }
}
