using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Audit;

internal static class GrainAuditExtensions
{
    /// <summary>Writes an audit event; a failed audit write fails the action that caused it, as nothing may go unrecorded.</summary>
    public static Task Audit(this IGrainFactory grains, AuditEventType type, Caller caller, DateTimeOffset time, JsonObject? fields = null) =>
        grains.GetGrain<IAuditLogGrain>(0).Emit(AuditEventFactory.Create(type, caller, time, fields));
}
