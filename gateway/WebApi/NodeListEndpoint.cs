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
    // Pages stream as they are written (NodeListPage), so a large one costs the proxy no buffer: tsh asks for pages of
    // this size, and every round trip saved counts when the proxy is far away.
    private const int MaxLimit = 10_000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/sites/{site}/resources", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache, NodeListIndex index) =>
            WebApiError.Guard(() => List(site, context, grains, cache, index, requireKind: true)));
        routes.MapGet("/v1/webapi/sites/{site}/nodes", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache, NodeListIndex index) =>
            WebApiError.Guard(() => List(site, context, grains, cache, index, requireKind: false)));
    }

    private static async Task<IResult> List(string site, HttpContext context, IGrainFactory grains, RoutingCache cache, NodeListIndex index, bool requireKind)
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
        var snapshot = index.Current;
        var order = byAddr ? snapshot.ByAddr : snapshot.ByHost;
        // Where the page starts in the sort order; the nodes before it still count towards totalCount.
        var first = startKey.Length == 0 ? 0 : FirstAtOrAfter(order, startKey, byAddr, descending);
        var reachable = new sbyte[snapshot.LabelSetCount];
        var now = DateTimeOffset.UtcNow;
        var page = new List<NodeListIndex.Entry>(Math.Min(limit, order.Length));
        var total = 0;
        var next = "";
        for (var position = 0; position < order.Length; position++)
        {
            var entry = order[descending ? order.Length - 1 - position : position];
            if (entry.Node.IsExpired(now)
                || !HasLabels(entry.Labels, labels)
                || (words.Length > 0 && !Matches(entry.Node, entry.Labels, words))
                || !Reachable(roles, entry, reachable))
            {
                continue;
            }

            total++;
            if (position < first)
            {
                continue;
            }

            if (page.Count < limit)
            {
                page.Add(entry);
            }
            else if (next.Length == 0)
            {
                next = byAddr ? entry.AddrKey : entry.HostKey;
            }
        }

        return new NodeListPage(page, roles, user.ClusterName, next, total);
    }

    private static bool HasLabels(Dictionary<string, string> labels, KeyValuePair<string, string>[] wanted)
    {
        foreach (var (key, value) in wanted)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the roles reach nodes with the entry's label set, asked once per label set per request.</summary>
    private static bool Reachable(RoleSet roles, NodeListIndex.Entry entry, sbyte[] reachable)
    {
        ref var known = ref reachable[entry.LabelSet];
        if (known == 0)
        {
            known = roles.CanReachNode(entry.Labels) ? (sbyte)1 : (sbyte)-1;
        }

        return known > 0;
    }

    /// <summary>The position (in the list's order, ascending or descending) of the first node at or after <paramref name="key"/>.</summary>
    private static int FirstAtOrAfter(NodeListIndex.Entry[] sorted, string key, bool byAddr, bool descending)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var entry = sorted[descending ? sorted.Length - 1 - middle : middle];
            var order = string.CompareOrdinal(byAddr ? entry.AddrKey : entry.HostKey, key);
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

    private static bool Matches(Node node, Dictionary<string, string> labels, string[] words) =>
        words.All(word =>
            node.Hostname.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.Addr.Contains(word, StringComparison.OrdinalIgnoreCase)
            || node.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
            || labels.Any(p => p.Key.Contains(word, StringComparison.OrdinalIgnoreCase) || p.Value.Contains(word, StringComparison.OrdinalIgnoreCase)));
}
