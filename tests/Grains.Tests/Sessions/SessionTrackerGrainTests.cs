using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Sessions;

[Collection(AuthClusterCollection.Name)]
public sealed class SessionTrackerGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller NodeCaller = new() { Name = "node", Roles = ["Node"] };

    private ISessionDirectoryGrain Directory => fixture.Grains.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey);

    private static SessionTracker Running(string node = "node-1") => new()
    {
        SessionId = Guid.NewGuid().ToString(),
        NodeId = node,
        User = "alice",
        Login = "root",
        Hostname = "web-1",
    };

    [Fact]
    public async Task Terminated_session_leaves_the_active_listing_but_stays_until_its_ttl()
    {
        var tracker = Running();
        var grain = fixture.Grains.GetGrain<ISessionTrackerGrain>(tracker.SessionId);
        await grain.Upsert(tracker, NodeCaller);
        Assert.Contains(await Directory.List(includeTerminated: false), t => t.SessionId == tracker.SessionId);

        await grain.Upsert(tracker with { State = SessionStates.Terminated }, NodeCaller);

        Assert.DoesNotContain(await Directory.List(includeTerminated: false), t => t.SessionId == tracker.SessionId);
        Assert.Contains(await Directory.List(includeTerminated: true), t => t.SessionId == tracker.SessionId);
        fixture.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.DoesNotContain(await Directory.List(includeTerminated: true), t => t.SessionId == tracker.SessionId);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Another_node_cannot_take_over_a_session()
    {
        var tracker = Running("node-1");
        await fixture.Grains.GetGrain<ISessionTrackerGrain>(tracker.SessionId).Upsert(tracker, NodeCaller);

        var error = await Assert.ThrowsAsync<AuthException>(() =>
            fixture.Grains.GetGrain<ISessionTrackerGrain>(tracker.SessionId).Upsert(tracker with { NodeId = "node-2" }, NodeCaller));

        Assert.Equal(AuthErrorKind.AccessDenied, error.Kind);
    }
}
