using System.Diagnostics;
using System.Globalization;
using Teleport.Orleans.Benchmarks.Backends;
using Teleport.Orleans.Contracts.Audit;

// Usage: BackendBenchmark BACKEND [WRITERS] [WRITES_PER_WRITER] [AUDIT_EVENTS]
// Grain writes: WRITERS grains written concurrently, each a chain of ETag-conditional writes of a 1 KB state (what
// grain storage does on WriteStateAsync). Audit: AUDIT_EVENTS events appended in batches of 100 (the group commit's
// batch), by 4 concurrent appenders. Prints one line: backend, writes/s, p50 and p99 write latency, audit events/s.
var name = args.Length > 0 ? args[0] : throw new ArgumentException("usage: BackendBenchmark sqlite|postgresql|etcd|dynamodb|azure|firestore [writers] [writes-per-writer] [audit-events]");
var writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var writesPerWriter = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var auditEvents = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20_000;
var none = CancellationToken.None;

await using var backend = await BackendUnderTest.StartAsync(name);
await backend.State.InitializeAsync(none);
await backend.Audit.InitializeAsync(none);

var payload = new byte[1024];
Random.Shared.NextBytes(payload);
// Warm-up: connections, table creation, JIT.
var warm = await backend.State.WriteAsync("bench", "warm", payload, null, none);
await backend.State.WriteAsync("bench", "warm", payload, warm, none);

var latencies = new double[writers * writesPerWriter];
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    string? etag = null;
    for (var i = 0; i < writesPerWriter; i++)
    {
        var started = Stopwatch.GetTimestamp();
        etag = await backend.State.WriteAsync("bench", "grain-" + w, payload, etag, none);
        latencies[(w * writesPerWriter) + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
})));
var writeSeconds = clock.Elapsed.TotalSeconds;
Array.Sort(latencies);

var time = DateTimeOffset.UtcNow;
var events = Enumerable.Range(0, auditEvents).Select(i => new AuditEvent
{
    Id = Guid.NewGuid().ToString(),
    Type = i % 3 == 0 ? "session.start" : "user.login",
    Code = "T1000I",
    Time = time.AddMilliseconds(i),
    User = "bench",
    Json = $$"""{"event":"user.login","user":"bench","n":{{i}}}""",
}).Chunk(100).ToList();
clock.Restart();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
{
    int batch;
    while ((batch = Interlocked.Increment(ref next)) < events.Count)
    {
        await backend.Audit.AppendAsync(events[batch], none);
    }
})));
var auditSeconds = clock.Elapsed.TotalSeconds;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{name}: grain writes {latencies.Length / writeSeconds:F0}/s (writers {writers}), p50 {Percentile(0.50):F2} ms, p99 {Percentile(0.99):F2} ms; audit {auditEvents / auditSeconds:F0} events/s"));

double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
