using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.Tests.Routing;

public sealed class NodeMatchTests
{
    private static readonly Node Agent = new() { Name = "6f1e0c3a-0000-4000-8000-000000000001", Hostname = "web-1", Addr = "10.0.0.5:3022" };
    private static readonly Node Agentless = new() { Name = "6f1e0c3a-0000-4000-8000-000000000002", Hostname = "db-1", Addr = "10.0.0.6:22", SubKind = NodeSubKinds.OpenSsh };
    private static readonly Node TunnelOnly = new() { Name = "6f1e0c3a-0000-4000-8000-000000000003", Hostname = "edge-1", UseTunnel = true };
    private static readonly Node[] Nodes = [Agent, Agentless, TunnelOnly];

    [Fact]
    public void Node_is_found_by_uuid_whatever_the_port()
    {
        Assert.Equal([Agent], NodeRouter.Match(Nodes, Agent.Name, 0));
    }

    [Fact]
    public void Node_is_found_by_hostname_ignoring_case()
    {
        Assert.Equal([Agentless], NodeRouter.Match(Nodes, "DB-1", 22));
        Assert.Equal([TunnelOnly], NodeRouter.Match(Nodes, "edge-1", 3022));
    }

    [Fact]
    public void Node_is_found_by_its_address()
    {
        Assert.Equal([Agentless], NodeRouter.Match(Nodes, "10.0.0.6", 22));
        Assert.Equal([Agent], NodeRouter.Match(Nodes, "10.0.0.5", 0));
    }

    [Fact]
    public void Unknown_host_matches_nothing_so_it_is_never_dialed()
    {
        Assert.Empty(NodeRouter.Match(Nodes, "10.0.0.99", 22));
        Assert.Empty(NodeRouter.Match(Nodes, "example.com", 22));
    }

    [Fact]
    public void Two_nodes_with_one_hostname_are_both_returned_so_the_router_can_call_it_ambiguous()
    {
        var twin = Agent with { Name = "6f1e0c3a-0000-4000-8000-000000000009", Addr = "10.0.0.7:3022" };

        Assert.Equal(2, NodeRouter.Match([.. Nodes, twin], "web-1", 3022).Length);
    }
}
