using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>Writes and searches audit events. A stateless worker in front of the audit store.</summary>
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    Task Emit(AuditEvent auditEvent);

    /// <summary>Writes several events in one call (the proxy's batched request events); completes when all are stored.</summary>
    Task EmitBatch(AuditEvent[] events);

    Task<AuditEvent[]> Search(AuditQuery query);
}
