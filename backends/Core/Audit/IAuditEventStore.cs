using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Core.Audit;

/// <summary>Where audit events are kept (<c>audit_events_uri</c>); searched by time range and type.</summary>
public interface IAuditEventStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken);
}
