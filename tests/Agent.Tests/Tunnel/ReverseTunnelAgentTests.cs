using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Tunnel;

namespace Teleport.Orleans.Agent.Tests.Tunnel;

/// <summary>An agent turned away by a busy proxy dials again when the proxy told it to.</summary>
public sealed class ReverseTunnelAgentTests
{
    [Fact]
    public async Task Agent_told_to_come_back_later_dials_again_after_the_wait_the_proxy_gave()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var agent = new ReverseTunnelAgent(
            new TunnelDialer($"127.0.0.1:{port}", new TunnelAddress("127.0.0.1", port, TlsRouting: false)),
            () => throw new InvalidOperationException("a busy proxy never gets to the SSH handshake"),
            _ => throw new InvalidOperationException("a busy proxy opens no channels"),
            NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = agent.RunAsync(stop.Token);

        // Without the wait the agent would be back within 1 s (its backoff after a first refusal); told 1.5 s, it waits that.
        var dials = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            using var connection = await listener.AcceptTcpClientAsync(stop.Token);
            dials.Add(clock.Elapsed);
            await using var stream = connection.GetStream();
            var preface = await ReadLineAsync(stream, stop.Token);
            Assert.Equal(TunnelDialer.NodePreface, preface);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("teleport-tunnel/1 busy retry-after=1.5\n"), stop.Token);
        }

        await stop.CancelAsync();
        await running;
        Assert.All(dials.Zip(dials.Skip(1), (before, after) => after - before), gap => Assert.InRange(gap.TotalSeconds, 1.4, 5));
        Assert.InRange(agent.Refusals, 2, 3);
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }
}
