using Orleans.Concurrency;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Diagnostics;

namespace Teleport.Orleans.Grains.Audit;

/// <summary>
/// A reentrant stateless worker: events from every grain reach the group-commit writer concurrently, so one durable
/// commit covers many of them.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class AuditLogGrain(GroupCommitAuditLog log, AuthMetrics metrics) : Grain, IAuditLogGrain
{
    public Task Emit(AuditEvent auditEvent) => metrics.TrackAuditWrite(log.AppendAsync(auditEvent));

    public Task EmitBatch(AuditEvent[] events) =>
        Task.WhenAll(events.Select(e => metrics.TrackAuditWrite(log.AppendAsync(e))));

    public async Task<AuditEvent[]> Search(AuditQuery query) =>
        [.. await log.SearchAsync(query, CancellationToken.None)];
}
