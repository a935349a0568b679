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
    public async Task Only_running_sessions_are_stored_in_the_directory_and_ended_ones_are_still_found_by_id()
    {
        // The directory's stored state is written on every update: ended sessions in it made each write larger.
        var running = Running();
        var ended = Running();
        await fixture.Grains.GetGrain<ISessionTrackerGrain>(running.SessionId).Upsert(running, NodeCaller);
        await fixture.Grains.GetGrain<ISessionTrackerGrain>(ended.SessionId).Upsert(ended, NodeCaller);
        await fixture.Grains.GetGrain<ISessionTrackerGrain>(ended.SessionId).Upsert(ended with { State = SessionStates.Terminated }, NodeCaller);

        // Every idle activation, the directory's included, is dropped and comes back from storage.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var listed = await Directory.List(includeTerminated: true);

        Assert.Contains(listed, t => t.SessionId == running.SessionId);
        Assert.DoesNotContain(listed, t => t.SessionId == ended.SessionId);
        Assert.Equal(SessionStates.Terminated, (await fixture.Grains.GetGrain<ISessionTrackerGrain>(ended.SessionId).Get())?.State);
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
