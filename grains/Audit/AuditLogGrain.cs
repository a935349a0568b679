using Orleans.Concurrency;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Audit;

/// <summary>A stateless worker so that audit writes from every grain run in parallel against the store.</summary>
[StatelessWorker]
internal sealed class AuditLogGrain(IAuditEventStore store) : Grain, IAuditLogGrain
{
    public Task Emit(AuditEvent auditEvent) => store.AppendAsync(auditEvent, CancellationToken.None);

    public async Task<AuditEvent[]> Search(AuditQuery query) =>
        [.. await store.SearchAsync(query, CancellationToken.None)];
}
