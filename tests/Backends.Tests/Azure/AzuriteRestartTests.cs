using Teleport.Orleans.Backends.Azure;
using Teleport.Orleans.Backends.Azure.Recordings;
using Teleport.Orleans.Backends.Azure.Storage;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

public sealed class AzuriteRestartTests : ServerRestartConformance
{
    private readonly AzuriteServer _server = new();

    protected override Task StartServerAsync() => _server.StartAsync();

    protected override Task StopServerAsync() => _server.StopAsync();

    protected override Task DisposeServerAsync() => _server.DisposeAsync();

    protected override IClusterStateStore? CreateStateStore() =>
        new AzureTableClusterStateStore(new AzureTables(_server.ConnectionString, retry: QuickRetry), AzuriteServer.UniqueName());

    protected override IRecordingStore? CreateRecordingStore() =>
        new AzureBlobRecordingStore(_server.ConnectionString, AzuriteServer.UniqueName(), retry: QuickRetry);
}
