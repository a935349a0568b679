namespace Teleport.Orleans.Failover;

/// <summary>
/// The faults, each injected while the load runs: the time it was injected, the time its cause was removed (a stopped
/// process continued, the backend started again), and what else happened that the report should say.
/// </summary>
internal sealed class Faults(HaCluster cluster, Recorder recorder, FaultTimings timings)
{
    public static readonly string[] All = ["kill-silo", "stop-silo", "kill-proxy", "stop-backend", "stop-proxy", "restart-haproxy", "reload-haproxy", "rolling-restart"];

    public Task<FaultMarks> InjectAsync(string fault) => fault switch
    {
        "kill-silo" => KillAsync($"silo{cluster.Silos}"),
        "kill-proxy" => TunnelHolderAsync().ContinueWith(t => KillAsync(t.Result), TaskScheduler.Default).Unwrap(),
        "kill-silo-and-proxy" => KillTogetherAsync($"silo{cluster.Silos}", "gateway1"),
        "stop-silo" => HangAsync($"silo{cluster.Silos}"),
        "stop-proxy" => TunnelHolderAsync().ContinueWith(t => HangAsync(t.Result), TaskScheduler.Default).Unwrap(),
        "stop-backend" => StopBackendAsync(),
        "restart-haproxy" => RestartAsync(["haproxy"], "TERM"),
        "reload-haproxy" => ReloadAsync("haproxy"),
        "rolling-restart" => RestartAsync([.. Enumerable.Range(1, cluster.Silos).Select(i => $"silo{i}"), .. Enumerable.Range(1, cluster.Proxies).Select(i => $"gateway{i}")], "TERM"),
        _ => throw new ArgumentException($"unknown fault {fault}; known: {string.Join(", ", All)}"),
    };

    /// <summary>The proxy holding node1's tunnel (its fault is the one that matters for the node), gateway1 when none says so.</summary>
    private async Task<string> TunnelHolderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var counts = await TunnelWatch.CountAsync(cluster, http);
        return counts.Where(c => c.Value > 0).Select(c => c.Key).FirstOrDefault() ?? "gateway1";
    }

    /// <summary>kill -9, then (as a supervisor would) start it again once the rest has had time to notice.</summary>
    private async Task<FaultMarks> KillAsync(string name)
    {
        var injected = recorder.Now;
        await cluster.Signal(name, "KILL");
        await Task.Delay(timings.Observe);
        var restarted = recorder.Now;
        await cluster.Start(name);
        return new FaultMarks(injected, restarted, $"{name} killed; started again at +{(restarted - injected).TotalSeconds:0.0}s");
    }

    /// <summary>kill -9 of several processes at once, left dead (the CI check: the rest must carry the load).</summary>
    private async Task<FaultMarks> KillTogetherAsync(params string[] names)
    {
        var injected = recorder.Now;
        await Task.WhenAll(names.Select(n => cluster.Signal(n, "KILL")));
        await Task.Delay(timings.Observe);
        return new FaultMarks(injected, injected, $"{string.Join(" and ", names)} killed, not restarted");
    }

    /// <summary>SIGSTOP for the hang time, then SIGCONT; a process that exits after waking is started again.</summary>
    private async Task<FaultMarks> HangAsync(string name)
    {
        var injected = recorder.Now;
        await cluster.Signal(name, "STOP");
        await Task.Delay(timings.Hang);
        await cluster.Signal(name, "CONT");
        var woke = recorder.Now;
        var exited = await cluster.WaitExitAsync(name, timings.Observe);
        var note = exited
            ? $"{name} woke at +{(woke - injected).TotalSeconds:0.0}s and exited after {(recorder.Now - woke).TotalSeconds:0.0}s (declared dead); started again"
            : $"{name} woke at +{(woke - injected).TotalSeconds:0.0}s and kept running";
        if (exited)
        {
            await cluster.Start(name);
        }

        return new FaultMarks(injected, woke, note);
    }

    /// <summary>
    /// SIGUSR2 to haproxy's master process (ha.sh runs it with -W, as Debian's unit does with -Ws): the reload an
    /// operator makes after changing the servers, `systemctl reload haproxy`. A new worker takes the listening sockets
    /// over, the old one finishes the connections it has.
    /// </summary>
    private async Task<FaultMarks> ReloadAsync(string name)
    {
        var injected = recorder.Now;
        await cluster.Signal(name, "USR2");
        await Task.Delay(timings.Observe);
        return new FaultMarks(injected, injected, $"{name} reloaded (SIGUSR2 to its master process)");
    }

    private async Task<FaultMarks> StopBackendAsync()
    {
        var injected = recorder.Now;
        // PostgreSQL's fast shutdown (SIGINT) ends every session at once; other servers stop on SIGTERM.
        await cluster.Signal("backend", cluster.Env["BACKEND"] == "postgresql" ? "INT" : "TERM");
        await cluster.WaitExitAsync("backend", TimeSpan.FromSeconds(30));
        await Task.Delay(timings.Outage);
        await cluster.Start("backend");
        var back = recorder.Now;
        return new FaultMarks(injected, back, $"backend down for {(back - injected).TotalSeconds:0.0}s");
    }

    /// <summary>
    /// Each process in turn: signal, wait for it to exit, start it again, wait until it is ready and the load balancer
    /// counts it up again (as a supervisor's readiness gate does) before the next one.
    /// </summary>
    private async Task<FaultMarks> RestartAsync(string[] names, string signal)
    {
        var injected = recorder.Now;
        foreach (var name in names)
        {
            await cluster.Signal(name, signal);
            if (!await cluster.WaitExitAsync(name, TimeSpan.FromSeconds(90)))
            {
                await cluster.Signal(name, "KILL");
                await cluster.WaitExitAsync(name, TimeSpan.FromSeconds(10));
            }

            await cluster.Start(name);
            await cluster.WaitBalancedAsync(name, TimeSpan.FromSeconds(30));
        }

        var done = recorder.Now;
        return new FaultMarks(injected, done, $"{string.Join(", ", names)} restarted one by one (SIG{signal}) in {(done - injected).TotalSeconds:0.0}s");
    }
}

internal sealed record FaultMarks(TimeSpan Injected, TimeSpan Ended, string Note);

internal sealed record FaultTimings(TimeSpan Observe, TimeSpan Hang, TimeSpan Outage, TimeSpan Settle);
