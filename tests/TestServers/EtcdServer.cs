using System.Diagnostics;
using System.Globalization;

namespace Teleport.Orleans.TestServers;

/// <summary>
/// A throwaway single-member etcd from the Debian package etcd-server: client and peer URLs on free loopback ports,
/// data in a temp dir, stopped by its PID. Each test uses a key prefix of its own.
/// </summary>
public sealed class EtcdServer : IAsyncLifetime
{
    private const string Binary = "/usr/bin/etcd";

    private readonly TempDirectory _dir = new("teleport-etcd-");
    private ServerProcess? _server;
    private int _pid;

    public string ClientUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} not found: install the Debian package etcd-server (./test.sh does)");
        }

        var ports = FreePorts.Take(2).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray();
        ClientUrl = $"http://127.0.0.1:{ports[0]}";
        var peerUrl = $"http://127.0.0.1:{ports[1]}";
        _server = ServerProcess.Start(Binary, [
            "--name", "test",
            "--data-dir", Path.Combine(_dir.Path, "data"),
            "--listen-client-urls", ClientUrl,
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "test=" + peerUrl,
            "--log-level", "warn",
        ]);
        _pid = _server.Pid;
        await WaitUntilHealthyAsync();
    }

    /// <summary>A key prefix that no other test uses.</summary>
    public static string UniquePrefix() => "/t-" + Guid.NewGuid().ToString("N")[..12];

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(_pid, Native.SigTerm);
            _server.Dispose();
        }

        _dir.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetStringAsync(ClientUrl + "/health")).Contains("\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (_server!.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"etcd did not become healthy:\n{_server.Output}");
            }

            await Task.Delay(50);
        }
    }
}
