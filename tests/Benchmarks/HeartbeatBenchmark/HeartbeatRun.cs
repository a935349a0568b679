using System.Diagnostics;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Benchmarks.Heartbeats;

/// <summary>
/// Simulates many node agents heartbeating through the gRPC API with the admin identity (which may heartbeat for
/// any host id; the server path is the one a node identity takes), then lists them as tctl nodes ls does.
/// </summary>
internal sealed class HeartbeatRun(AuthService.AuthServiceClient client, int nodes, int concurrency)
{
    private readonly Node[] _nodes = [.. Enumerable.Range(0, nodes).Select(i =>
    {
        var node = new Node { Name = Guid.NewGuid().ToString(), Hostname = $"bench-{i:D5}", Addr = $"10.{i / 65536}.{i / 256 % 256}.{i % 256}:3022", Version = "0.1.0" };
        node.Labels["env"] = i % 3 == 0 ? "prod" : "dev";
        node.Labels["rack"] = $"r{i % 40}";
        return node;
    })];

    /// <summary>One heartbeat from every node, <c>concurrency</c> in flight; returns the wall time.</summary>
    public async Task<TimeSpan> HeartbeatAllAsync()
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < _nodes.Length)
            {
                await client.HeartbeatAsync(new NodeHeartbeat { Node = _nodes[i] });
            }
        }));
        return watch.Elapsed;
    }

    public async Task<(int Count, double MedianMs, double MaxMs)> ListAllAsync(int repeats)
    {
        var times = new List<double>();
        var count = 0;
        for (var run = 0; run < repeats; run++)
        {
            var watch = Stopwatch.StartNew();
            var request = new ListNodesRequest { Limit = 1000 };
            count = 0;
            do
            {
                var page = await client.ListNodesAsync(request);
                count += page.Nodes.Count;
                request.StartKey = page.NextKey;
            }
            while (request.StartKey.Length > 0);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (count, times[times.Count / 2], times[^1]);
    }
}
