using System.Globalization;
using Grpc.Core;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Benchmarks.Signing;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"ERROR: {e.Message}\n{BenchmarkOptions.Usage}");
    return 2;
}

IdentityFile identity;
try
{
    identity = IdentityFile.Load(options.IdentityPath);
}
catch (Exception e) when (e is IOException or FormatException)
{
    Console.Error.WriteLine($"ERROR: {e.Message}");
    return 2;
}

var requests = KeyPool.Create(options);
var client = AuthClientFactory.Create(options.AuthServer, identity, out var channel);
using (channel)
{
    try
    {
        // One call first: connects, and fails fast on a wrong user or identity instead of timing errors.
        await client.GenerateUserCertsAsync(requests[0]);
    }
    catch (RpcException e)
    {
        Console.Error.WriteLine($"ERROR: {e.Status.Detail}");
        return 1;
    }

    var run = new SigningRun(client, requests);
    var (latency, elapsed) = await run.RunAsync(options.Concurrency, TimeSpan.FromSeconds(options.DurationSeconds));
    var tls = options.NoTls ? "ssh only" : "ssh + x509";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls: {latency.Count} ok, {run.Errors} failed in {elapsed.TotalSeconds:F2} s (concurrency {options.Concurrency}, {options.Keys} {options.KeyType} keys, {tls})"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"certs/s: {latency.Count / elapsed.TotalSeconds:F1}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50: {latency.Percentile(50):F2} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p99: {latency.Percentile(99):F2} ms"));
    if (run.FirstError is { } error)
    {
        Console.Error.WriteLine($"first error: {error.StatusCode}: {error.Status.Detail}");
    }

    return latency.Count > 0 ? 0 : 1;
}
