using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Tunnel;

namespace Teleport.Orleans.Agent.Tests.Tunnel;

/// <summary>How a node's tunnel agent meets a proxy that makes it wait: it says it can be told, and waits its turn.</summary>
public sealed class ReverseTunnelAgentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_agent_told_it_is_in_line_waits_past_its_silence_limit_for_the_proxy_s_answer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var silenceLimit = TimeSpan.FromSeconds(3);
        var dialer = new TunnelDialer("proxy.test", new TunnelAddress("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, TlsRouting: false));
        var agent = new ReverseTunnelAgent(
            dialer, () => throw new InvalidOperationException("the agent got no certificate line"), _ => throw new InvalidOperationException("no tunnel was opened"),
            NullLoggerFactory.Instance, silenceLimit);
        using var stop = new CancellationTokenSource();
        var running = agent.RunAsync(stop.Token);

        // A proxy that keeps the agent in its admission line for two silence limits, then turns it away.
        using var connection = await listener.AcceptSocketAsync().WaitAsync(Patience);
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        var preface = await new StreamReader(stream, Encoding.ASCII, leaveOpen: true).ReadLineAsync().WaitAsync(Patience);
        var until = DateTime.UtcNow + (silenceLimit * 2);
        while (DateTime.UtcNow < until)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("teleport-tunnel/1 queued\n"));
            await Task.Delay(silenceLimit / 30);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes("teleport-tunnel/1 busy\n"));
        var answered = DateTime.UtcNow + Patience;
        while (agent.Refusals == 0 && !running.IsCompleted && DateTime.UtcNow < answered)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await running.WaitAsync(Patience);
        Assert.Equal("teleport-tunnel/1 node queued", preface);
        Assert.Equal(1, agent.Refusals);
        Assert.Equal(0, agent.Connections);
    }
}
