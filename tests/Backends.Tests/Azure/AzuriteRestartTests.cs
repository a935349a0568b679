using Teleport.Orleans.Backends.Azure;
using Teleport.Orleans.Backends.Azure.Recordings;
using Teleport.Orleans.Backends.Azure.Storage;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

public sealed class AzuriteRestartTests : ServerRestartConformance<AzuriteServer>
{
    protected override IClusterStateStore CreateStateStore() =>
        new AzureTableClusterStateStore(new AzureTables(Server.ConnectionString, retry: QuickRetry), AzuriteServer.UniqueName());

    protected override IRecordingStore CreateRecordingStore() =>
        new AzureBlobRecordingStore(Server.ConnectionString, AzuriteServer.UniqueName(), retry: QuickRetry);
}
