using System.Diagnostics;
using Xunit.Abstractions;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>Real node processes joining a real auth service with tokens, heartbeating, restarting and dying.</summary>
public sealed class NodeJoinTests(NodeJoinTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<NodeJoinTests.Fixture>
{
    private NodeCluster Cluster => fixture.Cluster!;

    [Fact]
    public async Task A_node_joins_with_a_token_is_listed_and_its_token_cannot_be_used_again()
    {
        var token = await Cluster.AddTokenAsync();
        var first = Cluster.WriteNodeConfig("joiner", token);

        var clock = Stopwatch.StartNew();
        await using var node = await Cluster.StartNodeAsync(first);
        Assert.False(node.HasExited, node.Output);
        await Eventually.Until(async () => (await Cluster.NodesAsync()).Contains(first.HostUuid, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the node in tctl nodes ls");
        output.WriteLine($"join-to-listed: {clock.ElapsedMilliseconds} ms (process start included)");

        var listing = await Cluster.NodesAsync();
        Assert.Contains("joiner", listing, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{first.Port}", listing, StringComparison.Ordinal);
        Assert.Contains("env=dev", listing, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(first.DataDir, "node_identity.json")));
        }

        await using var second = await Cluster.StartNodeAsync(Cluster.WriteNodeConfig("second", token));
        Assert.True(second.HasExited);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("ERROR: the node could not join the cluster:", second.Output, StringComparison.Ordinal);
        Assert.Contains("already used", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_token_fails_with_one_clear_error_line()
    {
        await using var node = await Cluster.StartNodeAsync(Cluster.WriteNodeConfig("badtoken", "no-such-token"));

        Assert.True(node.HasExited);
        Assert.NotEqual(0, node.ExitCode);
        var error = Assert.Single(node.Output.Split('\n'), l => l.StartsWith("ERROR:", StringComparison.Ordinal));
        Assert.Contains("the join token is not valid", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_ssh_port_is_taken_says_so_in_one_error_line_without_a_stack_trace()
    {
        var config = Cluster.WriteNodeConfig("porttaken", await Cluster.AddTokenAsync());
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, config.Port);
        squatter.Start();

        await using var node = await Cluster.StartNodeAsync(config);

        Assert.True(node.HasExited, node.Output);
        Assert.Equal(1, node.ExitCode);
        var error = Assert.Single(node.Output.Split('\n'), l => l.StartsWith("ERROR:", StringComparison.Ordinal));
        Assert.StartsWith($"ERROR: ssh_service cannot listen on 127.0.0.1:{config.Port}", error, StringComparison.Ordinal);
        Assert.False(node.Output.Contains("   at ", StringComparison.Ordinal), node.Output);
    }

    [Fact]
    public async Task An_expired_token_fails_clearly()
    {
        var token = await Cluster.AddTokenAsync(ttl: "1s");
        await Eventually.Until(async () => !(await Cluster.Tctl("tokens", "ls")).Stdout.Contains(token, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the token to expire");

        await using var node = await Cluster.StartNodeAsync(Cluster.WriteNodeConfig("late", token));

        Assert.True(node.HasExited);
        Assert.NotEqual(0, node.ExitCode);
        Assert.Contains("expired", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_node_reuses_its_identity_without_joining_again()
    {
        var config = Cluster.WriteNodeConfig("restarter", await Cluster.AddTokenAsync());
        var node = await Cluster.StartNodeAsync(config);
        Assert.False(node.HasExited, node.Output);
        var hostUuid = config.HostUuid;
        await node.KillAsync();

        // The token in the configuration is spent: only the saved identity can bring the node back.
        await using var again = await Cluster.StartNodeAsync(config);

        Assert.False(again.HasExited, again.Output);
        Assert.Contains($"Reusing the node identity of host {hostUuid}", again.Output, StringComparison.Ordinal);
        Assert.Equal(hostUuid, config.HostUuid);
        await Eventually.Until(async () => (await Cluster.NodesAsync()).Contains(hostUuid, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the restarted node in the listing");
    }

    [Fact]
    public async Task A_stopped_node_disappears_from_the_listing_after_its_ttl()
    {
        var config = Cluster.WriteNodeConfig("mortal", await Cluster.AddTokenAsync());
        var node = await Cluster.StartNodeAsync(config);
        Assert.False(node.HasExited, node.Output);
        await Eventually.Until(async () => (await Cluster.NodesAsync()).Contains(config.HostUuid, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the node in the listing");

        await node.KillAsync();

        await Eventually.Until(async () => !(await Cluster.NodesAsync()).Contains(config.HostUuid, StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the dead node to leave the listing");
        Assert.Contains("authnode", await Cluster.NodesAsync(), StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal NodeCluster? Cluster { get; private set; }

        public async Task InitializeAsync() => Cluster = await NodeCluster.StartAsync(localNode: true, nodeTtlSeconds: 6);

        public async Task DisposeAsync()
        {
            if (Cluster is not null)
            {
                await Cluster.DisposeAsync();
            }
        }
    }
}
