using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// <c>GET /v1/webapi/sites/{site}/resources?kind=node&amp;limit=&amp;startKey=&amp;query=</c> (Teleport's unified
/// resource listing) and <c>/v1/webapi/sites/{site}/nodes</c>: the nodes the caller's roles could log in to, from
/// the routing cache, sorted by hostname then uuid, one page at a time.
/// </summary>
internal static class NodeListEndpoint
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/sites/{site}/resources", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => List(site, context, grains, cache, requireKind: true)));
        routes.MapGet("/v1/webapi/sites/{site}/nodes", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => List(site, context, grains, cache, requireKind: false)));
    }

    private static async Task<IResult> List(string site, HttpContext context, IGrainFactory grains, RoutingCache cache, bool requireKind)
    {
        var user = await WebUser.Require(site, context, grains, cache);
        var query = context.Request.Query;
        // Teleport's older clients send kind=node, newer ones kinds=node (a list).
        var kinds = query["kind"].Concat(query["kinds"]).SelectMany(k => (k ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (requireKind && kinds.FirstOrDefault(k => k != "node") is { } kind)
        {
            throw new BadRequestException($"kind \"{kind}\" is not served by this proxy; use kind=node");
        }

        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? Math.Min(l, MaxLimit) : DefaultLimit;
        var startKey = query["startKey"].ToString();
        var search = query["query"].ToString();
        if (search.Length == 0)
        {
            search = query["search"].ToString();
        }

        var roles = user.Roles;
        var visible = cache.Nodes
            .Where(n => roles.CanReachNode(n.AllLabels()))
            .Where(n => Matches(n, search))
            .OrderBy(SortKey, StringComparer.Ordinal)
            .ToArray();
        var page = visible.Where(n => startKey.Length == 0 || string.CompareOrdinal(SortKey(n), startKey) >= 0).Take(limit + 1).ToArray();
        var next = page.Length > limit ? SortKey(page[limit]) : "";
        return Results.Json(new
        {
            items = page.Take(limit).Select(n => new
            {
                kind = "node",
                subKind = n.SubKind,
                id = n.Name,
                name = n.Name,
                siteId = user.ClusterName,
                hostname = n.Hostname,
                addr = n.Addr,
                tunnel = n.UseTunnel,
                labels = n.AllLabels().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new { name = p.Key, value = p.Value }),
                sshLogins = roles.Logins,
            }),
            startKey = next,
            totalCount = visible.Length,
        });
    }

    /// <summary>Hostname then uuid, so pages are stable and equal hostnames stay apart.</summary>
    private static string SortKey(Node node) => $"{node.Hostname.ToLowerInvariant()}/{node.Name}";

    private static bool Matches(Node node, string search) =>
        search.Length == 0 || search.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(word =>
            node.Hostname.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.Addr.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.AllLabels().Any(p => p.Key.Contains(word, StringComparison.OrdinalIgnoreCase) || p.Value.Contains(word, StringComparison.OrdinalIgnoreCase)));
}
