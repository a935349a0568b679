using System.Globalization;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// haproxy (the Debian package) as a plain L4 load balancer on a free loopback port: round robin over the given
/// ports, one connection to each in turn, no health checks (so only clients' connections count in the rotation).
/// Stopped by its process id.
/// </summary>
internal sealed class TcpBalancer : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/haproxy";
    private readonly TempDirectory _dir = new("teleport-haproxy-");
    private readonly ServerProcess _process;

    private TcpBalancer(int port, IReadOnlyList<int> backends)
    {
        Port = port;
        var servers = string.Join("\n", backends.Select((p, i) => $"    server s{i} 127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"));
        var config = _dir.Write("haproxy.cfg", $"""
            global
                maxconn 200
            defaults
                mode tcp
                timeout connect 5s
                timeout client 60s
                timeout server 60s
            frontend web
                bind 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}
                default_backend proxies
            backend proxies
                balance roundrobin
            {servers}

            """);
        _process = ServerProcess.Start(Binary, ["-db", "-f", config]);
    }

    public int Port { get; }

    public string Output => _process.Output;

    public static async Task<TcpBalancer> StartAsync(int port, IReadOnlyList<int> backends)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} not found: install the Debian package haproxy (./test.sh does)");
        }

        var balancer = new TcpBalancer(port, backends);
        await Eventually.Until(async () =>
        {
            if (balancer._process.HasExited)
            {
                throw new InvalidOperationException("haproxy exited at start:\n" + balancer.Output);
            }

            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "haproxy listening");
        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(_process.Pid, Native.SigTerm);
        _process.Dispose();
        _dir.Dispose();
    }
}
