using Teleport.Orleans.Agent.Apps;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Agent.Tests.Apps;

public sealed class AppTunnelForwardingHandlerTests
{
    private static readonly App[] Apps =
    [
        new App { Name = "grafana", Uri = "http://127.0.0.1:3000" },
        new App { Name = "wiki", Uri = "https://wiki.internal" },
    ];

    [Theory]
    [InlineData("127.0.0.1", 3000u)]
    [InlineData("wiki.internal", 443u)]
    [InlineData("WIKI.internal", 443u)]
    public void The_proxy_may_reach_the_address_of_an_announced_app(string host, uint port) =>
        Assert.True(AppTunnelForwardingHandler.Allows(Apps, host, port));

    [Theory]
    [InlineData("127.0.0.1", 22u)]
    [InlineData("127.0.0.1", 3001u)]
    [InlineData("wiki.internal", 80u)]
    [InlineData("10.0.0.1", 3000u)]
    [InlineData("node", 0u)]
    public void Any_other_address_is_refused(string host, uint port) =>
        Assert.False(AppTunnelForwardingHandler.Allows(Apps, host, port));
}
