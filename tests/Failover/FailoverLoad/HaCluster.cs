using System.Diagnostics;
using System.Globalization;

namespace Teleport.Orleans.Failover;

/// <summary>A cluster started by deploy/local/ha.sh: its addresses (DIR/env), its processes (DIR/pids) and ha.sh to start one again.</summary>
internal sealed class HaCluster
{
    private readonly string _haScript;

    public HaCluster(string dir, string haScript)
    {
        Dir = Path.GetFullPath(dir);
        _haScript = haScript;
        Env = File.ReadAllLines(Path.Combine(Dir, "env"))
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
    }

    public string Dir { get; }

    public IReadOnlyDictionary<string, string> Env { get; }

    public string WebAddr => Env["WEB_ADDR"];

    public string SshAddr => Env["SSH_ADDR"];

    public string AuthAddr => Env["AUTH_ADDR"];

    public int Silos => int.Parse(Env["SILOS"], CultureInfo.InvariantCulture);

    public int Proxies => int.Parse(Env["PROXIES"], CultureInfo.InvariantCulture);

    /// <summary>The admin identity the first auth server wrote, good for the auth API of the whole pool.</summary>
    public string AdminIdentity => Path.Combine(Dir, "silo1", "data", "admin.identity");

    public int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(Dir, "pids", name + ".pid")).Trim(), CultureInfo.InvariantCulture);

    public bool IsRunning(string name)
    {
        try
        {
            return !Process.GetProcessById(Pid(name)).HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    public Task Signal(string name, string signal) => Run("kill", $"-{signal}", Pid(name).ToString(CultureInfo.InvariantCulture));

    /// <summary>Waits until the process has exited (after SIGTERM or a fatal error), up to <paramref name="limit"/>.</summary>
    public async Task<bool> WaitExitAsync(string name, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (IsRunning(name))
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>
    /// ha.sh start NAME: starts the process again and waits until it is ready. As a supervisor would (systemd
    /// Restart=on-failure), a process that exits while starting is started again, up to three times: on a starved
    /// machine a starting auth server can miss its peers' probes and be declared dead before it is ready.
    /// </summary>
    public async Task Start(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Run("bash", _haScript, "start", name, "--dir", Dir);
                return;
            }
            catch (InvalidOperationException ex) when (attempt < 3)
            {
                Console.Error.WriteLine($"{name} did not start (attempt {attempt}), starting it again: {ex.Message.Split('\n')[0]}");
            }
        }
    }

    /// <summary>
    /// Waits until haproxy counts every server line of <paramref name="name"/> UP again (its stats CSV; haproxy itself has
    /// none), up to
    /// <paramref name="limit"/>: a rolling restart stops the next process only then, or the balancer has none left.
    /// </summary>
    public async Task<bool> WaitBalancedAsync(string name, TimeSpan limit)
    {
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            try
            {
                var rows = (await http.GetStringAsync(Env["HAPROXY_STATS"] + ";csv")).Split('\n')
                    .Select(l => l.Split(','))
                    .Where(f => f.Length > 17 && f[1] == name)
                    .ToList();
                if (rows.All(f => f[17] == "UP"))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
