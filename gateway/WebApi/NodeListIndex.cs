using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// The routing cache's nodes sorted by hostname and by address, with their labels (nodes with equal labels share one
/// label set, numbered), rebuilt only when a node changed. A listing walks a sorted array and asks the roles once
/// per label set, instead of sorting and authorizing every node on every request.
/// </summary>
internal sealed class NodeListIndex(RoutingCache cache)
{
    private readonly Lock _build = new();
    private Snapshot _current = Snapshot.Empty;

    public Snapshot Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            var version = cache.NodesVersion;
            if (current.Version == version)
            {
                return current;
            }

            lock (_build)
            {
                current = _current;
                if (current.Version != version)
                {
                    current = Build(version, current);
                    Volatile.Write(ref _current, current);
                }

                return current;
            }
        }
    }

    private Snapshot Build(long version, Snapshot previous)
    {
        // The version is read before the nodes: a change during the build leaves a newer version, so the next call rebuilds.
        var known = previous.ByNode;
        var labelSets = new Dictionary<IReadOnlyDictionary<string, string>, int>(LabelSetComparer.Instance);
        var sets = new List<Dictionary<string, string>>();
        var entries = new List<Entry>(cache.AllNodes.Count);
        var byNode = new Dictionary<Node, Entry>(ReferenceEqualityComparer.Instance);
        foreach (var node in cache.AllNodes)
        {
            var labels = known.TryGetValue(node, out var old) ? old.Labels : node.AllLabels();
            if (!labelSets.TryGetValue(labels, out var id))
            {
                id = sets.Count;
                labelSets.Add(labels, id);
                sets.Add(labels);
            }

            var entry = old is not null && ReferenceEquals(old.Labels, sets[id]) && old.LabelSet == id
                ? old
                : new Entry(node, sets[id], id, SortKey(node.Hostname, node), SortKey(node.Addr, node));
            entries.Add(entry);
            byNode[node] = entry;
        }

        var byHost = entries.ToArray();
        Array.Sort(byHost, (a, b) => string.CompareOrdinal(a.HostKey, b.HostKey));
        var byAddr = entries.ToArray();
        Array.Sort(byAddr, (a, b) => string.CompareOrdinal(a.AddrKey, b.AddrKey));
        return new Snapshot(version, byHost, byAddr, sets.Count, byNode);
    }

    /// <summary>Hostname (or address) lowercased, then the uuid, so pages are stable and equal hostnames stay apart.</summary>
    private static string SortKey(string field, Node node) => $"{field.ToLowerInvariant()}/{node.Name}";

    /// <summary>One node as listings see it: its labels (static and command), the number of its label set, its sort keys.</summary>
    internal sealed class Entry(Node node, Dictionary<string, string> labels, int labelSet, string hostKey, string addrKey)
    {
        private byte[]? _json;

        public Node Node { get; } = node;

        public Dictionary<string, string> Labels { get; } = labels;

        public int LabelSet { get; } = labelSet;

        public string HostKey { get; } = hostKey;

        public string AddrKey { get; } = addrKey;

        /// <summary>
        /// The node's members as the listing writes them, serialised on first use and kept while the entry lives (until
        /// the node changes). Two requests racing to fill it write equal bytes.
        /// </summary>
        public byte[] Json => _json ??= NodeListPage.NodeMembers(Node, Labels);
    }

    /// <summary>The nodes at one version of the routing cache, in both sort orders.</summary>
    internal sealed record Snapshot(long Version, Entry[] ByHost, Entry[] ByAddr, int LabelSetCount, Dictionary<Node, Entry> ByNode)
    {
        public static readonly Snapshot Empty = new(-1, [], [], 0, new(ReferenceEqualityComparer.Instance));
    }
}
