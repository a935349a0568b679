using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Nodes;

/// <summary>Compares what a node reports, ignoring its lease, so that an unchanged heartbeat writes nothing.</summary>
internal static class NodeContent
{
    public static bool Same(Node a, Node b) =>
        a.SubKind == b.SubKind
        && a.Hostname == b.Hostname
        && a.Addr == b.Addr
        && a.Version == b.Version
        && a.UseTunnel == b.UseTunnel
        && a.TunnelGateway == b.TunnelGateway
        && SameMap(a.Labels, b.Labels, string.Equals)
        && SameMap(a.CmdLabels, b.CmdLabels, SameCommandLabel);

    private static bool SameCommandLabel(CommandLabel a, CommandLabel b) =>
        a.Period == b.Period && a.Result == b.Result && a.Command.SequenceEqual(b.Command, StringComparer.Ordinal);

    private static bool SameMap<T>(Dictionary<string, T> a, Dictionary<string, T> b, Func<T, T, bool> same)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !same(value, other))
            {
                return false;
            }
        }

        return true;
    }
}
