using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Proxy;

namespace Teleport.Orleans.Tsh.Tests.Proxy;

public sealed class NodeTargetTests
{
    [Theory]
    [InlineData("root@node1", "root", "node1", 0)]
    [InlineData("node1", null, "node1", 0)]
    [InlineData("root@node1.example:3022", "root", "node1.example", 3022)]
    [InlineData("a@b@node1", "a@b", "node1", 0)]
    public void Targets_parse_into_login_host_and_port(string text, string? login, string host, int port)
    {
        Assert.Equal(new NodeTarget(login, host, port), NodeTarget.Parse(text));
    }

    [Fact]
    public void The_subsystem_names_host_port_and_cluster_without_the_cluster_suffix_OpenSsh_adds()
    {
        var target = NodeTarget.Parse("root@node1.example:3022").WithoutClusterSuffix("example");

        Assert.Equal("proxy:node1:3022@example", target.Subsystem("example"));
    }

    [Theory]
    [InlineData("@node1")]
    [InlineData("root@")]
    [InlineData("node:ssh")]
    public void Bad_targets_are_clear_errors(string text)
    {
        Assert.Throws<TshException>(() => NodeTarget.Parse(text));
    }
}
