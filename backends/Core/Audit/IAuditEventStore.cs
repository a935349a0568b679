using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Core.Audit;

/// <summary>Where audit events are kept (<c>audit_events_uri</c>); searched by time range and type.</summary>
public interface IAuditEventStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores the events durably, all or none; an event id already stored is skipped.</summary>
    Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken);
}
