using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// <c>GET /v1/webapi/sites/{site}/sessions</c> (Teleport's active-sessions listing, behind the web UI's Active
/// Sessions page and <c>tsh sessions ls</c>): the running sessions the caller may see, newest first, each in
/// Teleport's legacy session shape with the modes the caller could join it in. A user sees their own sessions and
/// those their join_sessions policies let them join; a role with list on <c>session_tracker</c> sees every one.
/// </summary>
internal static class ActiveSessionsEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/webapi/sites/{site}/sessions", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => List(site, context, grains, cache)));

    private static async Task<IResult> List(string site, HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        var user = await WebUser.Require(site, context, grains, cache);
        var trackers = await grains.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey).List(includeTerminated: false);
        var seesAll = user.Roles.Allows("session_tracker", "list");
        var sessions = trackers
            .Where(t => t.Interactive && t.State == SessionStates.Running)
            .Select(t => (Tracker: t, Modes: SessionJoinAccess.Modes(user.Name, user.Roles, t.User, t.HostRoles, t.Kind)))
            .Where(s => s.Modes.Count > 0 || seesAll)
            .Select(s => Describe(s.Tracker, s.Modes, user.ClusterName));
        return Results.Json(new { sessions });
    }

    private static object Describe(SessionTracker tracker, IReadOnlyList<string> modes, string clusterName)
    {
        var (width, height) = Size(tracker.TerminalSize);
        var participants = tracker.Participants.Length > 0 ? tracker.Participants : [new SessionParticipant { User = tracker.User }];
        return new
        {
            kind = tracker.Kind,
            id = tracker.SessionId,
            @namespace = "default",
            parties = participants.Select(p => new { user = p.User, mode = p.Mode, server_id = tracker.NodeId }),
            terminal_params = new { w = width, h = height },
            login = tracker.Login,
            created = tracker.Created.UtcDateTime,
            server_id = tracker.NodeId,
            server_hostname = tracker.Hostname,
            server_addr = tracker.ServerAddr,
            cluster_name = tracker.ClusterName.Length > 0 ? tracker.ClusterName : clusterName,
            owner = tracker.User,
            moderated = false,
            command = tracker.Command,
            participantModes = modes,
        };
    }

    private static (int Width, int Height) Size(string size)
    {
        var parts = size.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) ? (w, h) : (0, 0);
    }
}
