using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebSessions;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// A user calling a <c>/v1/webapi/...</c> path: a browser with a web session (cookie and bearer token), or tsh with
/// the certificate from tsh login; the cluster the path names; their roles from the routing cache (as the session or
/// certificate names them, so a deleted role grants nothing).
/// </summary>
internal sealed record WebUser(string Name, string[] RoleNames, Dictionary<string, string[]> Traits, string ClusterName, RoleSet Roles, WebSession? Session)
{
    /// <summary>The user as grains see them; from the web UI, with the session the auth service checks (ProxyCallPolicy).</summary>
    public Caller Caller(HttpContext context) => new()
    {
        Name = Name,
        Roles = RoleNames,
        Address = ClientAddress.Of(context),
        WebSession = Session is { } session ? new WebSessionProof { SessionId = session.Id, BearerHash = session.BearerHash } : null,
    };

    public static async Task<WebUser> Require(string site, HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        var user = await Require(context, grains, cache);
        if (!string.Equals(site, user.ClusterName, StringComparison.OrdinalIgnoreCase))
        {
            throw AuthException.NotFound($"cluster \"{site}\" is not found");
        }

        return user;
    }

    /// <summary>The caller of a path that names no cluster (<c>/v1/webapi/users</c>, ...).</summary>
    public static async Task<WebUser> Require(HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        string name;
        string[] roleNames;
        Dictionary<string, string[]> traits;
        WebSession? session = null;
        if (WebSessionService.Presents(context))
        {
            session = await context.RequestServices.GetRequiredService<WebSessionService>().Require(context);
            (name, roleNames, traits) = (session.User, session.Roles, session.Traits);
        }
        else
        {
            var identity = await ClientIdentity.Require(context, grains);
            (name, roleNames, traits) = (identity.Name, identity.Roles, ClientIdentity.Traits(identity));
        }

        var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        await cache.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var roles = context.RequestServices.GetRequiredService<RoleSetCache>().Get(roleNames, traits);
        return new WebUser(name, roleNames, traits, settings.ClusterName, roles, session);
    }

    /// <summary>Refuses unless the user's roles allow every verb on the resource: the rule the auth API applies to tctl.</summary>
    public Caller Demand(HttpContext context, string resource, params string[] verbs)
    {
        foreach (var verb in verbs)
        {
            if (!Roles.Allows(resource, verb))
            {
                throw AuthException.AccessDenied($"access denied to perform action \"{verb}\" on \"{resource}\"");
            }
        }

        return Caller(context);
    }
}
