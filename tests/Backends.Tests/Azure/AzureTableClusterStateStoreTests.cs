using Teleport.Orleans.Backends.Azure;
using Teleport.Orleans.Backends.Azure.Storage;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableClusterStateStoreTests(AzuriteServer server) : ClusterStateStoreConformance
{
    protected override Task<IClusterStateStore> CreateStoreAsync() =>
        Task.FromResult<IClusterStateStore>(new AzureTableClusterStateStore(new AzureTables(server.ConnectionString), AzuriteServer.UniqueName()));
}
