using Teleport.Orleans.Backends.Azure;
using Teleport.Orleans.Backends.Azure.Audit;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableAuditEventStoreTests(AzuriteServer server) : AuditEventStoreConformance
{
    protected override Task<IAuditEventStore> CreateStoreAsync() =>
        Task.FromResult<IAuditEventStore>(new AzureTableAuditEventStore(new AzureTables(server.ConnectionString), AzuriteServer.UniqueName()));
}
