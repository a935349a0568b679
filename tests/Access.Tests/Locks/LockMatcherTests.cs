using Teleport.Orleans.Access.Locks;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Locks;

/// <summary>
/// Teleport's lock semantics, shared by the auth service, the proxy and the node: a session's targets are computed one
/// field each, and a lock is in force when any of them matches it.
/// </summary>
public sealed class LockMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_user_lock_applies_to_that_user_whatever_the_login_or_node()
    {
        var targets = LockMatcher.SessionTargets("alice", "root", "node-1");

        Assert.NotNull(LockMatcher.FindInForce([Lock(user: "alice")], targets, Now));
        Assert.Null(LockMatcher.FindInForce([Lock(user: "bob")], targets, Now));
    }

    [Fact]
    public void A_lock_with_several_fields_applies_when_any_of_them_is_the_sessions()
    {
        var userAndNode = Lock(user: "alice", node: "node-2");

        Assert.NotNull(LockMatcher.FindInForce([userAndNode], LockMatcher.SessionTargets("alice", "root", "node-1"), Now));
        Assert.NotNull(LockMatcher.FindInForce([userAndNode], LockMatcher.SessionTargets("bob", "root", "node-2"), Now));
        Assert.Null(LockMatcher.FindInForce([userAndNode], LockMatcher.SessionTargets("bob", "root", "node-1"), Now));
    }

    [Fact]
    public void A_login_lock_applies_only_where_the_login_is_known()
    {
        var rootLock = Lock(login: "root");

        Assert.NotNull(LockMatcher.FindInForce([rootLock], LockMatcher.SessionTargets("alice", "root", "node-1"), Now));
        Assert.Null(LockMatcher.FindInForce([rootLock], LockMatcher.SessionTargets("alice", login: "", "node-1"), Now));
    }

    [Fact]
    public void A_node_is_matched_by_host_uuid_or_hostname_ignoring_case()
    {
        var targets = LockMatcher.SessionTargets("alice", "root", "5d1c-uuid", "web1");

        Assert.NotNull(LockMatcher.FindInForce([Lock(node: "WEB1")], targets, Now));
        Assert.NotNull(LockMatcher.FindInForce([Lock(node: "5d1c-uuid")], targets, Now));
    }

    [Fact]
    public void An_expired_lock_is_not_in_force()
    {
        var expired = Lock(user: "alice") with { Expires = Now.AddSeconds(-1) };

        Assert.Null(LockMatcher.FindInForce([expired], LockMatcher.SessionTargets("alice"), Now));
    }

    [Fact]
    public void A_computed_target_compares_only_the_fields_it_sets()
    {
        Assert.True(LockMatcher.Matches(new LockTarget { User = "alice" }, new LockTarget { User = "alice", Login = "root" }));
        Assert.False(LockMatcher.Matches(new LockTarget { User = "alice", Login = "admin" }, new LockTarget { User = "alice", Login = "root" }));
        Assert.False(LockMatcher.Matches(new LockTarget(), new LockTarget { User = "alice" }));
    }

    private static AccessLock Lock(string user = "", string login = "", string node = "") =>
        new() { Name = "l", Target = new LockTarget { User = user, Login = login, Node = node } };
}
