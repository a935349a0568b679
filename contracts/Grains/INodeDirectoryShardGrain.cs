using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// One of <see cref="ShardCount"/> shards of the node listing. Key: the shard number, <see cref="ShardFor"/> of the host
/// uuid. Listing every node is <see cref="ShardCount"/> calls whatever the number of nodes; shards drop expired nodes.
/// </summary>
public interface INodeDirectoryShardGrain : IGrainWithIntegerKey
{
    const int ShardCount = 64;

    Task Put(Node node);

    Task Remove(string name);

    /// <summary>The unexpired nodes of this shard, ordered by name.</summary>
    [ReadOnly]
    Task<Node[]> List();

    /// <summary>A stable shard number for a host uuid (FNV-1a; string.GetHashCode differs between processes).</summary>
    static int ShardFor(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash % ShardCount);
    }
}
