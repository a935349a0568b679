using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>Writes and searches audit events. A stateless worker in front of the audit store.</summary>
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    Task Emit(AuditEvent auditEvent);

    Task<AuditEvent[]> Search(AuditQuery query);
}
