using System.Globalization;

namespace Teleport.Orleans.Failover;

/// <summary>
/// The reverse tunnels the live proxies hold, sampled from their /metrics (teleport_reverse_tunnels_connected) every
/// 200 ms: a proxy that does not answer within a second (stopped, killed) counts as holding none, since its tunnels
/// carry nothing. The report gives when tunnels went missing and when every one was back.
/// </summary>
internal sealed class TunnelWatch(HaCluster cluster, Recorder recorder)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly List<(TimeSpan At, int Tunnels)> _samples = [];

    public IReadOnlyList<(TimeSpan At, int Tunnels)> Samples => _samples;

    /// <summary>Tunnels each proxy holds now (0 for a proxy that does not answer).</summary>
    public static async Task<Dictionary<string, int>> CountAsync(HaCluster cluster, HttpClient http)
    {
        var names = Enumerable.Range(1, cluster.Proxies).Select(i => $"gateway{i}").ToList();
        var counts = await Task.WhenAll(names.Select(n => CountOneAsync(http, cluster.Env[n.ToUpperInvariant() + "_DIAG"])));
        return names.Zip(counts).ToDictionary(p => p.First, p => p.Second);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (!stop.IsCancellationRequested)
        {
            var at = recorder.Now;
            var total = (await CountAsync(cluster, http)).Values.Sum();
            lock (_samples)
            {
                _samples.Add((at, total));
            }

            try
            {
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>From the first sample after <paramref name="injected"/> with fewer tunnels than before it, to the first full one after that.</summary>
    public string Describe(TimeSpan injected)
    {
        List<(TimeSpan At, int Tunnels)> samples;
        lock (_samples)
        {
            samples = [.. _samples];
        }

        var before = samples.Where(s => s.At < injected).Select(s => s.Tunnels).DefaultIfEmpty(0).Max();
        var missing = samples.FirstOrDefault(s => s.At >= injected && s.Tunnels < before);
        if (before == 0)
        {
            return "tunnels: none seen before the fault";
        }

        if (missing == default)
        {
            return $"tunnels: all {before} held throughout (sampled every 0.2 s)";
        }

        var back = samples.FirstOrDefault(s => s.At > missing.At && s.Tunnels >= before);
        return back == default
            ? $"tunnels: missing from +{S(missing.At - injected)}, NOT all back by the end of the load"
            : $"tunnels: missing from +{S(missing.At - injected)}, all {before} back at +{S(back.At - injected)} ({S(back.At - missing.At)} without)";
    }

    private static async Task<int> CountOneAsync(HttpClient http, string diag)
    {
        try
        {
            var text = await http.GetStringAsync($"http://{diag}/metrics");
            return text.Split('\n')
                .Where(l => l.StartsWith("teleport_reverse_tunnels_connected{", StringComparison.Ordinal))
                .Sum(l => (int)double.Parse(l[(l.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException)
        {
            return 0;
        }
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
