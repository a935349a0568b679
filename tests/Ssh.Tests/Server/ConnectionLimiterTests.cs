using System.Net;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>teleport.connection_limits: connections per client address and concurrent users.</summary>
public sealed class ConnectionLimiterTests
{
    [Fact]
    public void An_address_at_max_connections_is_refused_until_one_of_its_connections_ends()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerAddress: 2, maxUsers: 10);
        var first = limiter.TryAcquireConnection(Endpoint("10.0.0.1"), "test");
        var second = limiter.TryAcquireConnection(Endpoint("10.0.0.1"), "test");

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limiter.TryAcquireConnection(Endpoint("10.0.0.1"), "test"));
        Assert.NotNull(limiter.TryAcquireConnection(Endpoint("10.0.0.2"), "test"));

        first.Dispose();
        first.Dispose();
        Assert.NotNull(limiter.TryAcquireConnection(Endpoint("10.0.0.1"), "test"));
        Assert.Null(limiter.TryAcquireConnection(Endpoint("10.0.0.1"), "test"));
    }

    [Fact]
    public void A_new_user_beyond_max_users_is_refused_but_a_connected_user_may_open_more()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerAddress: 100, maxUsers: 2);
        var alice = limiter.TryAcquireUser("alice", "10.0.0.1:1");
        Assert.NotNull(limiter.TryAcquireUser("bob", "10.0.0.1:2"));

        Assert.Null(limiter.TryAcquireUser("carol", "10.0.0.1:3"));
        var aliceAgain = limiter.TryAcquireUser("alice", "10.0.0.1:4");
        Assert.NotNull(aliceAgain);

        alice!.Dispose();
        Assert.Null(limiter.TryAcquireUser("carol", "10.0.0.1:5"));
        aliceAgain.Dispose();
        Assert.NotNull(limiter.TryAcquireUser("carol", "10.0.0.1:6"));
    }

    [Fact]
    public void Refusals_tell_the_client_which_setting_to_change()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerAddress: 7, maxUsers: 3);

        Assert.Contains("max_connections is 7", limiter.ConnectionRefusal);
        Assert.Contains("max_users is 3", limiter.UserRefusal);
    }

    private static IPEndPoint Endpoint(string address) => new(IPAddress.Parse(address), 5000);
}
