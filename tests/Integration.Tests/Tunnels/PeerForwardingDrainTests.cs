using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tunnels;

/// <summary>
/// SIGTERM to the gateway that holds a node's tunnel while another gateway relays a session through it (peer
/// forwarding): the draining gateway keeps the tunnel until that session ends, then hands it over and exits.
/// </summary>
public sealed class PeerForwardingDrainTests(PeerForwardingTests.TwoGateways cluster) : IClassFixture<PeerForwardingTests.TwoGateways>
{
    [Fact]
    public async Task Draining_gateway_keeps_a_tunnel_until_the_session_another_gateway_relays_through_it_ends()
    {
        (await cluster.SshThroughSecondGateway("true")).EnsureSuccess();
        var session = cluster.Jump.Run(cluster.Second.Ports.SshPort, PeerForwardingTests.TwoGateways.NodeName, 3022, "sleep 3.456; echo relayed-session-finished");
        // The node runs on this machine: the session's command shows in the process list once the session is up.
        await Eventually.Until(async () => (await OpenSsh.Run("pgrep", ["-f", "-x", "sleep 3.456"], null)).ExitCode == 0,
            TimeSpan.FromSeconds(30), "the session's command running on the node");

        cluster.First.Terminate();
        var finished = await session;
        var exitCode = await cluster.First.Exited.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(finished.ExitCode == 0, finished.Stderr + cluster.Logs());
        Assert.Equal("relayed-session-finished\n", finished.Stdout);
        Assert.Equal(0, exitCode);
        Assert.Contains("every tunnel moved", cluster.First.Output, StringComparison.Ordinal);
    }
}
