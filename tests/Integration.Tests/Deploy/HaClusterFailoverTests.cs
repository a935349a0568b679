using System.Diagnostics;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Deploy;

/// <summary>
/// deploy/local/ha.sh: the HA guide's topology on loopback (PostgreSQL, two silos, two proxies, haproxy as both load
/// balancers, a tunnel node) keeps its promise under failure. The full fault list is tests/Failover/run.sh; this is
/// the small version: one silo and one proxy killed at once under light load.
/// </summary>
public sealed class HaClusterFailoverTests
{
    [Fact]
    public async Task Killing_a_silo_and_a_proxy_loses_no_acknowledged_write_and_service_recovers()
    {
        var dir = Directory.CreateTempSubdirectory("teleport-ha-");
        try
        {
            var up = await Bash(TimeSpan.FromMinutes(3), HaScript, "up", "--backend", "postgresql", "--dir", dir.FullName, "--silos", "2", "--proxies", "2");
            Assert.True(up.ExitCode == 0, "ha.sh up failed:\n" + up.Stdout + up.Stderr);

            var load = await Dotnet.Run(FailoverLoadDll,
                ["--dir", dir.FullName, "--ha", HaScript, "--faults", "kill-silo-and-proxy", "--observe", "6", "--settle", "8"],
                timeout: TimeSpan.FromMinutes(2));

            Assert.True(load.ExitCode == 0, "the load saw no recovery or lost writes:\n" + load.Stdout + load.Stderr);
            Assert.Contains("acknowledged writes lost: 0", load.Stdout);
            Assert.Contains("RECOVERED", load.Stdout);

            await SigtermDrainsTheLastProxyAsync(dir.FullName);
        }
        finally
        {
            // Stops exactly the processes in dir/pids, whatever happened above.
            await Bash(TimeSpan.FromMinutes(2), HaScript, "down", "--dir", dir.FullName);
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// SIGTERM to the proxy left: its readiness fails at once, but it still serves a new session for its drain delay
    /// (the load balancer has not taken it out yet); then its SSH port refuses new sessions, while the session it
    /// relays runs to its end; then it exits, long before its 20 s grace period.
    /// </summary>
    private static async Task SigtermDrainsTheLastProxyAsync(string dir)
    {
        var env = File.ReadAllLines(Path.Combine(dir, "env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir, "pids", "gateway2.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var proxy = Process.GetProcessById(pid);
        var session = Ssh(dir, env["SSH_ADDR"], "sleep 4.321; echo session-finished");
        await Eventually.Until(SessionRunning, TimeSpan.FromSeconds(15), "the session's command running on node1");

        await Bash(TimeSpan.FromSeconds(10), "-c", $"kill -TERM {pid}");
        await Eventually.Until(async () => !await Ready(env["GATEWAY2_DIAG"]), TimeSpan.FromSeconds(2), "readiness failing");
        var served = await Ssh(dir, env["GATEWAY2_SSH"], "echo still-served");
        // Probing the port would count as a new connection and keep it accepting: its log says when it stopped.
        await Eventually.Until(() => File.ReadAllText(Path.Combine(dir, "logs", "gateway2.log")).Contains("Draining: no new connections", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the draining proxy to stop accepting");
        var refused = await Ssh(dir, env["GATEWAY2_SSH"], "echo too-late");
        var finished = await session;
        await proxy.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Contains("still-served", served.Stdout);
        Assert.DoesNotContain("too-late", refused.Stdout);
        Assert.Contains("session-finished", finished.Stdout);
    }

    private static Task<CommandResult> Ssh(string dir, string sshAddr, string command) =>
        Bash(TimeSpan.FromSeconds(30), "-c", $"ssh -F '{dir}/load/ssh_config' -J root@{sshAddr} -p 3022 node1 '{command}'");

    private static async Task<bool> Ready(string diag)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            return (await http.GetAsync($"http://{diag}/readyz")).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>node1 runs on this machine: the session's command shows in the process list once the session is up.</summary>
    private static async Task<bool> SessionRunning() =>
        (await Bash(TimeSpan.FromSeconds(5), "-c", "pgrep -f -x 'sleep 4.321'")).ExitCode == 0;

    private static string HaScript => Path.Combine(Repository.Root, "deploy", "local", "ha.sh");

    private static string FailoverLoadDll =>
        Path.Combine(Repository.Root, "tests", "Failover", "FailoverLoad", "bin", Repository.Configuration, "net10.0", "FailoverLoad.dll");

    private static async Task<CommandResult> Bash(TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TELEPORT_DLL"] = Repository.TeleportDll;
        start.Environment["TCTL_DLL"] = Repository.TctlDll;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        return new CommandResult(process.HasExited ? process.ExitCode : -1, await stdout, await stderr);
    }
}
