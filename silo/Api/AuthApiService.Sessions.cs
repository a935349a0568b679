using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<Contracts.Api.Empty> UpsertSessionTracker(SessionTracker request, ServerCallContext context)
    {
        var host = authorizer.AuthorizeHost(context, "Node");
        var tracker = request.FromProto();
        if (tracker.NodeId.Length == 0)
        {
            tracker = tracker with { NodeId = host.HostId };
        }

        if (!host.MayActFor(tracker.NodeId))
        {
            throw AuthException.AccessDenied($"host \"{host.HostId}\" may not track sessions of node \"{tracker.NodeId}\"");
        }

        if (tracker.SessionId.Length == 0)
        {
            throw AuthException.BadParameter("a session tracker needs session_id");
        }

        await grains.GetGrain<ISessionTrackerGrain>(tracker.SessionId).Upsert(tracker, host.Caller);
        return new Contracts.Api.Empty();
    }

    public override async Task<ListSessionTrackersResponse> ListSessionTrackers(ListSessionTrackersRequest request, ServerCallContext context)
    {
        await authorizer.AuthorizeUserOrSystem(context, "session_tracker", "list", "Proxy");
        var trackers = await grains.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey).List(request.IncludeTerminated);
        var response = new ListSessionTrackersResponse();
        response.Sessions.AddRange(trackers.Select(t => t.ToProto()));
        return response;
    }

    public override async Task<Contracts.Api.Empty> EmitAuditEvent(EmitAuditEventRequest request, ServerCallContext context)
    {
        var host = authorizer.AuthorizeHost(context, "Node");
        var auditEvent = NodeAuditEvent.Parse(request.EventJson, host.HostId, DateTimeOffset.UtcNow);
        await grains.GetGrain<IAuditLogGrain>(0).Emit(auditEvent);
        return new Contracts.Api.Empty();
    }
}
