using System.Globalization;
using Teleport.Orleans.Failover;

// FailoverLoad --dir DIR [--faults kill-silo,stop-silo,...|all] [--observe S] [--hang S] [--outage S] [--settle S]
// Runs the load against a cluster from deploy/local/ha.sh, injects each fault in turn and prints what it did.
// Exit code 1 when a fault lost an acknowledged write or the service had not recovered by the end of its window.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
if (!options.TryGetValue("dir", out var dir))
{
    Console.Error.WriteLine("usage: FailoverLoad --dir DIR [--faults all|kill-silo,...] [--observe 20] [--hang 60] [--outage 30] [--settle 20]");
    return 2;
}

TimeSpan Seconds(string key, int fallback) =>
    TimeSpan.FromSeconds(options.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback);

var faults = options.GetValueOrDefault("faults", "all") is "all" or "" ? Faults.All : options["faults"].Split(',');
var timings = new FaultTimings(Seconds("observe", 20), Seconds("hang", 60), Seconds("outage", 30), Seconds("settle", 20));
var haScript = Path.Combine(AppContext.BaseDirectory, "../../../../../../deploy/local/ha.sh");
var cluster = new HaCluster(dir, options.GetValueOrDefault("ha", Path.GetFullPath(haScript)));
var user = await LoadUser.CreateAsync(cluster);
var allRecovered = true;
foreach (var fault in faults)
{
    var recorder = new Recorder();
    var startedUtc = DateTime.UtcNow;
    var workloads = new Workloads(cluster, recorder, user, Guid.NewGuid().ToString("N")[..8]);
    using var stop = new CancellationTokenSource();
    var load = workloads.RunAsync(stop.Token);
    var tunnels = new TunnelWatch(cluster, recorder);
    var watch = tunnels.RunAsync(stop.Token);
    await Task.Delay(TimeSpan.FromSeconds(5));
    var marks = await new Faults(cluster, recorder, timings).InjectAsync(fault);
    await Task.Delay(timings.Settle);
    var loadEnd = recorder.Now;
    await stop.CancelAsync();
    await load;
    await watch;
    var lost = await workloads.LostWritesAsync();
    var audited = await workloads.AuditedLoginsAsync(startedUtc.AddSeconds(-1));
    var heartbeats = NodeLog.HeartbeatFailures(Path.Combine(cluster.Dir, "logs", "node1.log"), startedUtc);
    var (text, recovered) = Report.Build(
        fault, marks, recorder.Outcomes, loadEnd, lost, workloads.OkLogins, audited, heartbeats, tunnels.Describe(marks.Injected), TimeSpan.FromSeconds(5));
    Console.WriteLine(text);
    await File.AppendAllTextAsync(Path.Combine(cluster.Dir, "failover-report.txt"), text + "\n");
    allRecovered &= recovered;
}

return allRecovered ? 0 : 1;
