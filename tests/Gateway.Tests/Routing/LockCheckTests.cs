using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.Tests.Routing;

/// <summary>Which locks the proxy enforces itself: any that names the user or the node; a lock on a login alone is the node's.</summary>
public sealed class LockCheckTests
{
    [Fact]
    public void User_lock_applies_to_that_user_on_every_node()
    {
        var found = LockCheck.Find([Lock("l1", user: "alice")], "alice", "node-1");

        Assert.Equal("l1", found?.Name);
    }

    [Fact]
    public void User_lock_leaves_other_users_alone()
    {
        Assert.Null(LockCheck.Find([Lock("l1", user: "alice")], "bob", "node-1"));
    }

    [Fact]
    public void Node_lock_applies_only_to_that_node()
    {
        AccessLock[] locks = [Lock("n", node: "node-2")];

        Assert.Null(LockCheck.Find(locks, "alice", "node-1"));
        Assert.NotNull(LockCheck.Find(locks, "alice", "node-2"));
    }

    [Fact]
    public void Login_lock_is_left_to_the_node_which_knows_the_login()
    {
        Assert.Null(LockCheck.Find([Lock("root", login: "root")], "alice", "node-1"));
    }

    [Fact]
    public void A_lock_naming_a_user_and_a_login_stops_that_user_at_the_proxy_as_Teleport_does()
    {
        Assert.Equal("both", LockCheck.Find([Lock("both", user: "alice", login: "root")], "alice", "node-1")?.Name);
    }

    [Fact]
    public void Node_lock_by_hostname_applies_as_well_as_by_host_uuid()
    {
        Assert.NotNull(LockCheck.Find([Lock("n", node: "web1")], "alice", "0b5e-uuid", "web1"));
    }

    [Fact]
    public void Refusal_names_the_lock_and_its_message()
    {
        var text = LockCheck.Describe(Lock("incident", user: "alice") with { Message = "incident 42" }, "alice");

        Assert.Equal("access denied to alice: locked by incident (incident 42)", text);
    }

    private static AccessLock Lock(string name, string user = "", string login = "", string node = "") =>
        new() { Name = name, Target = new LockTarget { User = user, Login = login, Node = node } };
}
