using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Nodes;

/// <summary>Reads the whole node listing from its shards: a fixed number of calls, whatever the number of nodes.</summary>
public static class NodeDirectory
{
    /// <summary>Every unexpired node, ordered by name (ordinal).</summary>
    public static async Task<Node[]> ListNodesAsync(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var shards = await Task.WhenAll(Enumerable.Range(0, INodeDirectoryShardGrain.ShardCount)
            .Select(shard => grains.GetGrain<INodeDirectoryShardGrain>(shard).List()));
        var all = new Node[shards.Sum(s => s.Length)];
        var at = 0;
        foreach (var shard in shards)
        {
            shard.CopyTo(all, at);
            at += shard.Length;
        }

        Array.Sort(all, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return all;
    }
}
