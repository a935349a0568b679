using System.Net.Sockets;
using System.Text;
using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.TestSupport;

namespace Teleport.Orleans.Gateway.Tests.Tunnels;

/// <summary>An agent waiting in the admission line hears from the proxy, so it does not take the wait for a hung proxy.</summary>
public sealed class InformedLineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_waiting_agent_gets_the_queued_line_every_interval_until_a_place_is_free()
    {
        var admission = new TunnelAdmission(1, new TunnelAdmission.Line(0, TimeSpan.Zero), new TunnelAdmission.Line(10, Patience));
        var first = await admission.EnterAsync(CancellationToken.None);
        var (proxySide, agentSide) = await ConnectedPairAsync();
        await using var _ = proxySide;
        await using var __ = agentSide;
        var reader = new StreamReader(agentSide, Encoding.ASCII);

        var entering = InformedLine.EnterAsync(admission, proxySide, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var lines = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            lines.Add(await reader.ReadLineAsync().WaitAsync(Patience));
        }

        Assert.False(entering.IsCompleted);
        Assert.All(lines, line => Assert.Equal("teleport-tunnel/1 queued", line));
        first!.Dispose();
        using var ticket = await entering.WaitAsync(Patience);
        Assert.NotNull(ticket);
        Assert.Equal(1, admission.InFlight);
    }

    [Fact]
    public async Task An_agent_that_hung_up_while_waiting_leaves_the_line_and_takes_no_place()
    {
        var admission = new TunnelAdmission(1, new TunnelAdmission.Line(0, TimeSpan.Zero), new TunnelAdmission.Line(10, Patience));
        var first = await admission.EnterAsync(CancellationToken.None);
        var (proxySide, agentSide) = await ConnectedPairAsync();
        await using var _ = proxySide;

        var entering = InformedLine.EnterAsync(admission, proxySide, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        await agentSide.DisposeAsync();

        await Assert.ThrowsAnyAsync<IOException>(() => entering.WaitAsync(Patience));
        Assert.Equal(0, admission.Queued);
        first!.Dispose();
        Assert.Equal(0, admission.InFlight);
    }

    /// <summary>The two ends of a loopback TCP connection, as an agent's tunnel is.</summary>
    private static async Task<(Stream Proxy, Stream Agent)> ConnectedPairAsync()
    {
        var (agent, proxy) = await LoopbackConnection.OpenAsync();
        return (new NetworkStream(proxy, ownsSocket: true), new NetworkStream(agent, ownsSocket: true));
    }
}
