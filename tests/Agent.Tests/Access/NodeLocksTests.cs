using Teleport.Orleans.Agent.Access;
using Lock = Teleport.Orleans.Contracts.Api.Lock;

namespace Teleport.Orleans.Agent.Tests.Access;

/// <summary>The lock message in Teleport's words: the target as Go's compact proto text, then the lock's message.</summary>
public sealed class NodeLocksTests
{
    [Fact]
    public void A_lock_with_several_targets_names_each_in_field_order()
    {
        var message = NodeLocks.Describe(new Lock { Node = "n-1", User = "alice", Login = "root", Message = "maintenance" });

        Assert.Equal("lock targeting User:\"alice\" Login:\"root\" Node:\"n-1\" is in force: maintenance", message);
    }

    [Fact]
    public void Quotes_in_a_target_are_escaped()
    {
        Assert.Equal("lock targeting User:\"a\\\"b\" is in force", NodeLocks.Describe(new Lock { User = "a\"b" }));
    }
}
