using System.Globalization;
using Grpc.Core;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Benchmarks.Heartbeats;

// usage: HeartbeatBenchmark AUTH_SERVER IDENTITY [NODES] [CONCURRENCY]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: HeartbeatBenchmark HOST:PORT IDENTITY_FILE [NODES=10000] [CONCURRENCY=64]");
    return 2;
}

var nodes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 64;
var client = AuthClientFactory.Create(args[0], IdentityFile.Load(args[1]), out var channel);
using (channel)
{
    var run = new HeartbeatRun(client, nodes, concurrency);
    try
    {
        var first = await run.HeartbeatAllAsync();
        Report("first heartbeats (new nodes, stored)", first, nodes);
        // Five rounds: one round alone is too short to time well.
        var steady = TimeSpan.Zero;
        for (var round = 0; round < 5; round++)
        {
            steady += await run.HeartbeatAllAsync();
        }

        Report("steady heartbeats (unchanged, 5 rounds)", steady, nodes * 5);
        var listing = await run.ListAllAsync(repeats: 5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"list {listing.Count} nodes in pages of 1000: median {listing.MedianMs:F0} ms, max {listing.MaxMs:F0} ms (5 runs)"));
    }
    catch (RpcException e)
    {
        Console.Error.WriteLine($"ERROR: {e.StatusCode}: {e.Status.Detail}");
        return 1;
    }
}

return 0;

static void Report(string what, TimeSpan elapsed, int nodes) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: {nodes} in {elapsed.TotalSeconds:F2} s = {nodes / elapsed.TotalSeconds:F0}/s"));
