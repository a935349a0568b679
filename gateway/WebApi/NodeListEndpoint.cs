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
/// <c>GET /v1/webapi/sites/{site}/resources?kind=node&amp;limit=&amp;startKey=&amp;search=&amp;labels=&amp;sort=</c> (Teleport's
/// unified resource listing) and <c>/v1/webapi/sites/{site}/nodes</c>: the nodes the caller's roles could log in to,
/// from the routing cache, filtered by words and labels, sorted by hostname or address (then uuid), one page at a
/// time, each with the logins the caller may use there. docs/webapi.md has the parameters.
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
        var search = query["search"].ToString();
        if (search.Length == 0)
        {
            search = query["query"].ToString();
        }

        var words = search.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var labels = LabelFilter(query["labels"].ToString());
        var (byAddr, descending) = Sort(query["sort"].ToString());

        var roles = user.Roles;
        var visible = new List<(string Key, Node Node, Dictionary<string, string> Labels)>();
        foreach (var node in cache.Nodes)
        {
            var all = node.AllLabels();
            if (labels.All(f => all.TryGetValue(f.Key, out var v) && v == f.Value) && Matches(node, all, words) && roles.CanReachNode(all))
            {
                visible.Add((SortKey(node, byAddr), node, all));
            }
        }

        visible.Sort((a, b) => descending ? string.CompareOrdinal(b.Key, a.Key) : string.CompareOrdinal(a.Key, b.Key));
        var first = startKey.Length == 0 ? 0 : FirstAtOrAfter(visible, startKey, descending);
        var page = visible.Skip(first).Take(limit).ToArray();
        var next = first + limit < visible.Count ? visible[first + limit].Key : "";
        return Results.Json(new
        {
            items = page.Select(n => new
            {
                kind = "node",
                subKind = n.Node.SubKind,
                id = n.Node.Name,
                name = n.Node.Name,
                siteId = user.ClusterName,
                hostname = n.Node.Hostname,
                addr = n.Node.Addr,
                tunnel = n.Node.UseTunnel,
                labels = n.Labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new { name = p.Key, value = p.Value }),
                sshLogins = roles.Logins.Where(login => roles.CheckLogin(login, n.Labels).Allowed),
            }),
            startKey = next,
            totalCount = visible.Count,
        });
    }

    /// <summary>The index of the first node at or after <paramref name="key"/> in the list's order.</summary>
    private static int FirstAtOrAfter(List<(string Key, Node Node, Dictionary<string, string> Labels)> sorted, string key, bool descending)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var order = string.CompareOrdinal(sorted[middle].Key, key);
            if (descending ? order > 0 : order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary><c>labels=env=prod,team=db</c>: every pair must match exactly.</summary>
    private static KeyValuePair<string, string>[] LabelFilter(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals > 0
                ? KeyValuePair.Create(pair[..equals].Trim(), pair[(equals + 1)..].Trim())
                : throw new BadRequestException($"label filter \"{pair}\" is not key=value");
        })];

    /// <summary><c>sort=hostname:asc</c> (default), <c>hostname:desc</c>, <c>addr:asc</c>, <c>addr:desc</c>.</summary>
    private static (bool ByAddr, bool Descending) Sort(string text)
    {
        if (text.Length == 0)
        {
            return (false, false);
        }

        var parts = text.Split(':');
        var field = parts[0].ToLowerInvariant();
        var direction = parts.Length > 1 ? parts[1].ToLowerInvariant() : "asc";
        if (field is not ("hostname" or "name" or "addr") || direction is not ("asc" or "desc") || parts.Length > 2)
        {
            throw new BadRequestException($"sort \"{text}\" is not one of hostname:asc, hostname:desc, addr:asc, addr:desc");
        }

        return (field == "addr", direction == "desc");
    }

    /// <summary>Hostname (or address) then uuid, so pages are stable and equal hostnames stay apart.</summary>
    private static string SortKey(Node node, bool byAddr) => $"{(byAddr ? node.Addr : node.Hostname).ToLowerInvariant()}/{node.Name}";

    private static bool Matches(Node node, Dictionary<string, string> labels, string[] words) =>
        words.All(word =>
            node.Hostname.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.Addr.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
            || labels.Any(p => p.Key.Contains(word, StringComparison.OrdinalIgnoreCase) || p.Value.Contains(word, StringComparison.OrdinalIgnoreCase)));
}
