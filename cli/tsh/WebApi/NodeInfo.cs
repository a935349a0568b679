namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>One SSH node as the proxy lists it.</summary>
internal sealed record NodeInfo(string Name, string Hostname, string Address, IReadOnlyDictionary<string, string> Labels, bool Tunnel)
{
    public static NodeInfo From(NodeItemJson item)
    {
        // A sorted list, not a tree: a node has a few labels, and the proxy sends them sorted, so each goes at the end.
        var labels = new SortedList<string, string>((item.Tags?.Count ?? 0) + (item.Labels?.Count ?? 0), StringComparer.Ordinal);
        foreach (var (name, value) in item.Tags ?? [])
        {
            labels[name] = value;
        }

        foreach (var (name, value) in item.Labels ?? [])
        {
            labels[name] = value;
        }

        var hostname = item.Hostname ?? item.Name ?? "";
        return new NodeInfo(item.Id ?? item.Name ?? hostname, hostname, item.Addr ?? "", labels, item.Tunnel);
    }

    public bool Matches(IReadOnlyDictionary<string, string> selector) =>
        selector.All(s => Labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
