using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.WebSessions;

[Collection(AuthClusterCollection.Name)]
public sealed class WebSessionGrainTests(AuthClusterFixture fixture)
{
    [Fact]
    public async Task Session_is_usable_with_its_own_bearer_only()
    {
        var session = await Start(TestUsers.UniqueName("web"), TimeSpan.FromHours(1), TimeSpan.Zero);
        var grain = fixture.Grains.GetGrain<IWebSessionGrain>(session.Id);

        var right = await grain.Use(session.BearerHash);
        var wrong = await grain.Use(new string('0', 64));

        Assert.Equal(WebSessionFailure.None, right.Failure);
        Assert.Equal(session.User, right.Session!.User);
        Assert.Equal(WebSessionFailure.BearerMismatch, wrong.Failure);
    }

    [Fact]
    public async Task Session_past_its_expiry_is_refused_and_forgotten()
    {
        var session = await Start(TestUsers.UniqueName("web"), TimeSpan.FromMinutes(10), TimeSpan.Zero);
        var grain = fixture.Grains.GetGrain<IWebSessionGrain>(session.Id);

        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        var check = await grain.Use(session.BearerHash);

        Assert.Equal(WebSessionFailure.Expired, check.Failure);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Session_idle_past_its_inactivity_timeout_ends_but_activity_keeps_it_alive()
    {
        var busy = await Start(TestUsers.UniqueName("web"), TimeSpan.FromDays(2), TimeSpan.FromMinutes(30));
        var idle = await Start(TestUsers.UniqueName("web"), TimeSpan.FromDays(2), TimeSpan.FromMinutes(30));
        var busyGrain = fixture.Grains.GetGrain<IWebSessionGrain>(busy.Id);

        for (var i = 0; i < 3; i++)
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(WebSessionFailure.None, (await busyGrain.Use(busy.BearerHash)).Failure);
        }

        var check = await fixture.Grains.GetGrain<IWebSessionGrain>(idle.Id).Use(idle.BearerHash);
        Assert.Equal(WebSessionFailure.Idle, check.Failure);
    }

    [Fact]
    public async Task Ending_all_of_a_users_sessions_ends_each_and_leaves_other_users_signed_in()
    {
        var user = TestUsers.UniqueName("web");
        var first = await Start(user, TimeSpan.FromHours(1), TimeSpan.Zero);
        var second = await Start(user, TimeSpan.FromHours(1), TimeSpan.Zero);
        var other = await Start(TestUsers.UniqueName("web"), TimeSpan.FromHours(1), TimeSpan.Zero);

        var ended = await fixture.Grains.GetGrain<IUserWebSessionsGrain>(user).EndAll();

        Assert.Equal(2, ended);
        Assert.Equal(WebSessionFailure.Unknown, (await fixture.Grains.GetGrain<IWebSessionGrain>(first.Id).Use(first.BearerHash)).Failure);
        Assert.Equal(WebSessionFailure.Unknown, (await fixture.Grains.GetGrain<IWebSessionGrain>(second.Id).Use(second.BearerHash)).Failure);
        Assert.Equal(WebSessionFailure.None, (await fixture.Grains.GetGrain<IWebSessionGrain>(other.Id).Use(other.BearerHash)).Failure);
    }

    private async Task<WebSession> Start(string user, TimeSpan ttl, TimeSpan inactivity)
    {
        var now = fixture.Time.GetUtcNow();
        var session = new WebSession
        {
            Id = Guid.NewGuid().ToString("N"),
            User = user,
            BearerHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            Created = now,
            Expires = now + ttl,
            InactivityTimeout = inactivity,
        };
        await fixture.Grains.GetGrain<IWebSessionGrain>(session.Id).Start(session);
        return session;
    }
}
