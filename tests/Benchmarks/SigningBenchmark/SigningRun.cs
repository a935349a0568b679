using System.Diagnostics;
using Grpc.Core;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Benchmarks.Signing;

/// <summary>Calls GenerateUserCerts from N concurrent workers until the time is up, recording each call's latency.</summary>
internal sealed class SigningRun(AuthService.AuthServiceClient client, GenerateUserCertsRequest[] requests)
{
    private long _errors;
    private RpcException? _firstError;

    public long Errors => Interlocked.Read(ref _errors);

    public RpcException? FirstError => _firstError;

    public async Task<(LatencyStats Latency, TimeSpan Elapsed)> RunAsync(int concurrency, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkerAsync(w * requests.Length / concurrency, stopAt))).ToArray();
        var latencies = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (new LatencyStats(latencies.SelectMany(l => l)), elapsed);
    }

    /// <summary>Workers start at different points of the key ring so concurrent calls sign different keys.</summary>
    private async Task<List<double>> WorkerAsync(int firstKey, long stopAt)
    {
        var latencies = new List<double>(4096);
        var next = firstKey;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var request = requests[next++ % requests.Length];
            var start = Stopwatch.GetTimestamp();
            try
            {
                await client.GenerateUserCertsAsync(request);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (RpcException e)
            {
                Interlocked.Increment(ref _errors);
                Interlocked.CompareExchange(ref _firstError, e, null);
            }
        }

        return latencies;
    }
}
