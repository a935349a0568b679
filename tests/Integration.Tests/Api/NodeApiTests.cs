using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Api;

// Inside the namespace: the sibling namespace Integration.Tests.Node would otherwise hide the resource type.
using Node = global::Teleport.Orleans.Contracts.Api.Node;

/// <summary>Heartbeats and node listing through the gRPC API, as node agents, gateways, tctl and users call them.</summary>
[Collection(ServerCollection.Name)]
public sealed class NodeApiTests(ServerFixture fixture)
{
    private TeleportServer Server => fixture.Server;

    private static Node Report(string hostId, string hostname, params (string Key, string Value)[] labels)
    {
        var node = new Node { Name = hostId, Hostname = hostname, Addr = "127.0.0.1:3022", Version = "0.1.0" };
        foreach (var (key, value) in labels)
        {
            node.Labels[key] = value;
        }

        return node;
    }

    [Fact]
    public async Task Node_heartbeats_and_is_listed_with_its_lease_and_next_interval()
    {
        using var node = await ApiClient.JoinNode(Server, "hb-node");
        using var admin = ApiClient.Admin(Server);

        var response = await node.Client.HeartbeatAsync(new NodeHeartbeat { Node = Report(node.Name, "hb-node", ("env", "test")) });

        var listed = (await admin.Client.ListNodesAsync(new ListNodesRequest { Search = node.Name })).Nodes;
        var entry = Assert.Single(listed);
        Assert.Equal("hb-node", entry.Hostname);
        Assert.InRange(response.NextHeartbeatSeconds, 30, 60);
        Assert.InRange(response.Expires.ToDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.1));
    }

    [Fact]
    public async Task Heartbeat_from_a_node_identity_for_another_host_id_is_refused()
    {
        using var node = await ApiClient.JoinNode(Server);
        using var admin = ApiClient.Admin(Server);
        var victim = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await node.Client.HeartbeatAsync(new NodeHeartbeat { Node = Report(victim, "impostor") }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Empty((await admin.Client.ListNodesAsync(new ListNodesRequest { Search = victim })).Nodes);
    }

    [Fact]
    public async Task User_identity_cannot_heartbeat()
    {
        using var user = await ApiClient.User(Server, "access");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await user.Client.HeartbeatAsync(new NodeHeartbeat { Node = Report(Guid.NewGuid().ToString(), "fake") }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Listing_pages_through_every_node_once_and_filters_by_label()
    {
        using var node = await ApiClient.JoinNode(Server);
        using var admin = ApiClient.Admin(Server);
        var batch = "b" + Guid.NewGuid().ToString("N")[..8];
        // The admin identity may heartbeat for any host id, which stands in for many agents here.
        for (var i = 0; i < 7; i++)
        {
            await admin.Client.HeartbeatAsync(new NodeHeartbeat { Node = Report(Guid.NewGuid().ToString(), $"{batch}-{i}", ("batch", batch), ("parity", i % 2 == 0 ? "even" : "odd")) });
        }

        var seen = new List<string>();
        var request = new ListNodesRequest { Limit = 3, Labels = { ["batch"] = batch } };
        var pages = 0;
        do
        {
            var page = await admin.Client.ListNodesAsync(request);
            Assert.Equal(7, page.TotalCount);
            Assert.True(page.Nodes.Count <= 3);
            seen.AddRange(page.Nodes.Select(n => n.Hostname));
            request.StartKey = page.NextKey;
            pages++;
        }
        while (request.StartKey.Length > 0);
        var even = await admin.Client.ListNodesAsync(new ListNodesRequest { Labels = { ["batch"] = batch, ["parity"] = "even" } });

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"{batch}-{i}").Order(), seen.Order());
        Assert.Equal(4, even.Nodes.Count);
        Assert.All(even.Nodes, n => Assert.Equal("even", n.Labels["parity"]));
    }

    [Fact]
    public async Task User_sees_only_the_nodes_their_roles_allow()
    {
        using var admin = ApiClient.Admin(Server);
        var batch = "r" + Guid.NewGuid().ToString("N")[..8];
        var role = "noprod-" + batch;
        await admin.Client.CreateResourceAsync(new CreateResourceRequest
        {
            Yaml = $$"""
                kind: role
                version: v7
                metadata:
                  name: {{role}}
                spec:
                  allow:
                    logins: [ubuntu]
                    node_labels:
                      '*': '*'
                  deny:
                    node_labels:
                      env: prod
                """,
        });
        await admin.Client.HeartbeatAsync(new NodeHeartbeat { Node = Report(Guid.NewGuid().ToString(), batch + "-dev", ("batch", batch), ("env", "dev")) });
        await admin.Client.HeartbeatAsync(new NodeHeartbeat { Node = Report(Guid.NewGuid().ToString(), batch + "-prod", ("batch", batch), ("env", "prod")) });
        using var user = await ApiClient.User(Server, role);

        var visible = await user.Client.ListNodesAsync(new ListNodesRequest { Labels = { ["batch"] = batch } });
        var all = await admin.Client.ListNodesAsync(new ListNodesRequest { Labels = { ["batch"] = batch } });

        Assert.Equal([batch + "-dev"], visible.Nodes.Select(n => n.Hostname));
        Assert.Equal(1, visible.TotalCount);
        Assert.Equal(2, all.Nodes.Count);
    }

    [Fact]
    public async Task Node_renews_its_host_certificates_for_its_own_host_id()
    {
        using var node = await ApiClient.JoinNode(Server, "renew-me");
        using var key = Teleport.Orleans.Ssh.Keys.SshPrivateKey.Generate(Teleport.Orleans.Ssh.Keys.SshKeyType.Ed25519);

        var renewed = await node.Client.RenewHostCertsAsync(new RenewHostCertsRequest { SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(), NodeName = "renew-me" });

        var certificate = Teleport.Orleans.Ssh.Certificates.SshCertificate.Parse(renewed.SshCertificate);
        Assert.Contains($"{node.Name}.itest.example.com", certificate.Principals);
        Assert.Contains("renew-me", certificate.Principals);
        Assert.Equal("Node", certificate.Extensions["x-teleport-role"]);
    }
}
