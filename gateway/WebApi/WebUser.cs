using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// A user calling a <c>/v1/webapi/sites/{site}/...</c> path: their verified certificate, the cluster the path
/// names, and their roles from the routing cache (as the certificate names them, so a deleted role grants nothing).
/// </summary>
internal sealed record WebUser(X509Identity Identity, string ClusterName, RoleSet Roles)
{
    public static async Task<WebUser> Require(string site, HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        var identity = await ClientIdentity.Require(context, grains);
        var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        if (!string.Equals(site, settings.ClusterName, StringComparison.OrdinalIgnoreCase))
        {
            throw AuthException.NotFound($"cluster \"{site}\" is not found");
        }

        await cache.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var roles = new RoleSet([.. identity.Roles.Select(cache.Role).OfType<Role>()], ClientIdentity.Traits(identity));
        return new WebUser(identity, settings.ClusterName, roles);
    }
}
