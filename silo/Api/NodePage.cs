using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Api;
using Node = Teleport.Orleans.Contracts.Resources.Node;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// One page of a node listing: filtered by label, free-text search and the caller's roles, then cut at
/// <c>start_key</c> (the name of the first node of the page, inclusive, as Teleport's next keys).
/// </summary>
internal sealed record NodePage(IReadOnlyList<Node> Nodes, string NextKey, int TotalCount)
{
    public static NodePage Select(IReadOnlyList<Node> sortedNodes, ListNodesRequest request, RoleSet? visibility)
    {
        var terms = request.Search.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var matching = sortedNodes.Where(node =>
        {
            var labels = node.AllLabels();
            return request.Labels.All(wanted => labels.TryGetValue(wanted.Key, out var value) && value == wanted.Value)
                && terms.All(term => Mentions(node, labels, term))
                && (visibility is null || visibility.CanReachNode(labels));
        }).ToList();

        var start = request.StartKey.Length == 0 ? 0 : matching.FindIndex(n => string.CompareOrdinal(n.Name, request.StartKey) >= 0);
        if (start < 0)
        {
            return new NodePage([], "", matching.Count);
        }

        var limit = request.Limit > 0 ? request.Limit : int.MaxValue;
        var page = matching.Skip(start).Take(limit).ToList();
        var next = start + page.Count < matching.Count ? matching[start + page.Count].Name : "";
        return new NodePage(page, next, matching.Count);
    }

    private static bool Mentions(Node node, Dictionary<string, string> labels, string term) =>
        Contains(node.Hostname, term) || Contains(node.Addr, term) || Contains(node.Name, term)
        || labels.Any(label => Contains(label.Key, term) || Contains(label.Value, term) || Contains($"{label.Key}={label.Value}", term));

    private static bool Contains(string text, string term) => text.Contains(term, StringComparison.OrdinalIgnoreCase);
}
