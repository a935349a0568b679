using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Api;

// Inside the namespace: the sibling namespace Integration.Tests.Node would otherwise hide the resource type.
using Node = global::Teleport.Orleans.Contracts.Api.Node;

/// <summary>A node that stops heartbeating disappears, on a server whose node TTL is shortened for the test.</summary>
public sealed class NodeLeaseTests : IAsyncLifetime
{
    private TeleportServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TeleportServer.StartAsync(environment: new Dictionary<string, string> { ["TELEPORT_TEST_NODE_TTL"] = "3" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dead_node_disappears_from_the_listing_after_its_ttl()
    {
        using var node = await ApiClient.JoinNode(_server, "short-lived");
        using var admin = ApiClient.Admin(_server);

        var lease = await node.Client.HeartbeatAsync(new NodeHeartbeat { Node = new Node { Name = node.Name, Hostname = "short-lived", Addr = "127.0.0.1:3022" } });
        Assert.Single((await admin.Client.ListNodesAsync(new ListNodesRequest())).Nodes, n => n.Name == node.Name);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await admin.Client.ListNodesAsync(new ListNodesRequest(), cancellationToken: timeout.Token)).Nodes.Any(n => n.Name == node.Name))
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(1, lease.NextHeartbeatSeconds);
        Assert.True(DateTimeOffset.UtcNow >= lease.Expires.ToDateTimeOffset().AddSeconds(-1), "the node vanished before its lease ran out");
    }
}
