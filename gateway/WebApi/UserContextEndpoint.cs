using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// What the web UI needs to know about the signed-in user: <c>GET /v1/webapi/sites</c> (the cluster) and
/// <c>GET /v1/webapi/sites/{site}/context</c> (Teleport's user context: name, roles, logins, and per resource what
/// the role rules allow, so the UI shows only the pages and buttons that will work).
/// </summary>
internal static class UserContextEndpoint
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/sites", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var user = await WebUser.Require(context, grains, cache);
                return Results.Json(new[] { new { name = user.ClusterName, lastConnected = DateTime.UtcNow, status = "online" } });
            }));
        routes.MapGet("/v1/webapi/sites/{site}/context", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache, GatewayOptions options) =>
            WebApiError.Guard(() => Describe(site, context, grains, cache, options)));
    }

    private static async Task<IResult> Describe(string site, HttpContext context, IGrainFactory grains, RoutingCache cache, GatewayOptions options)
    {
        var user = await WebUser.Require(site, context, grains, cache);
        var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        var roles = user.Roles;
        var acl = new
        {
            users = Access(roles, "user"),
            roles = Access(roles, "role"),
            tokens = Access(roles, "token"),
            locks = Access(roles, "lock"),
            events = Access(roles, "event"),
            recordedSessions = Access(roles, "session"),
            activeSessions = Access(roles, "session_tracker"),
        };
        var editor = acl.users.list || acl.roles.list || acl.tokens.list || acl.locks.list;
        return Results.Json(new
        {
            userName = user.Name,
            roles = user.RoleNames,
            logins = roles.Logins,
            authType = "local",
            cluster = new { name = user.ClusterName, publicURL = options.PublicAddr },
            sessionExpires = user.Session?.Expires.UtcDateTime,
            secondFactor = settings.AuthPreference.SecondFactor.ToString().ToLowerInvariant(),
            editor,
            userAcl = acl,
        });
    }

    private static ResourceAccess Access(RoleSet roles, string resource) => new(
        roles.Allows(resource, "list"),
        roles.Allows(resource, "read"),
        roles.Allows(resource, "update"),
        roles.Allows(resource, "create"),
        roles.Allows(resource, "delete"));

    private sealed record ResourceAccess(bool list, bool read, bool edit, bool create, bool remove);
}
