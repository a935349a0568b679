using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Tokens;

[Collection(AuthClusterCollection.Name)]
public sealed class JoinTokenGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller Admin = new() { Name = "admin" };

    [Fact]
    public async Task Token_joins_one_host_and_is_refused_the_second_time()
    {
        var grain = await NewToken(["node"], TimeSpan.Zero);

        var used = await grain.Consume("Node", "host-1", "key-1", Caller.System);
        var error = await Assert.ThrowsAsync<AuthException>(() => grain.Consume("Node", "host-2", "key-1", Caller.System));

        Assert.Equal("host-1", used.UsedBy);
        Assert.Equal(AuthErrorKind.AccessDenied, error.Kind);
        Assert.Contains("already used", error.Message);
    }

    [Fact]
    public async Task Same_host_retrying_with_the_same_keys_gets_the_same_answer()
    {
        var grain = await NewToken(["proxy"], TimeSpan.FromHours(1));

        var first = await grain.Consume("Proxy", "host-1", "key-1", Caller.System);
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        var retried = await grain.Consume("Proxy", "host-1", "key-1", Caller.System);

        Assert.Equal(first.UsedAt, retried.UsedAt);
        Assert.Equal("host-1", retried.UsedBy);
    }

    [Theory]
    [InlineData("host-1", "key-2")]
    [InlineData("host-2", "key-1")]
    public async Task Used_token_is_refused_to_another_host_or_other_keys(string hostId, string key)
    {
        var grain = await NewToken(["proxy"], TimeSpan.FromHours(1));
        await grain.Consume("Proxy", "host-1", "key-1", Caller.System);

        var error = await Assert.ThrowsAsync<AuthException>(() => grain.Consume("Proxy", hostId, key, Caller.System));

        Assert.Contains("already used", error.Message);
    }

    [Fact]
    public async Task Same_host_retrying_after_the_retry_window_finds_the_token_used()
    {
        var grain = await NewToken(["proxy"], TimeSpan.FromHours(1));
        await grain.Consume("Proxy", "host-1", "key-1", Caller.System);

        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        var error = await Assert.ThrowsAsync<AuthException>(() => grain.Consume("Proxy", "host-1", "key-1", Caller.System));

        Assert.Contains("already used", error.Message);
    }

    [Fact]
    public async Task Token_defaults_to_thirty_minutes_and_is_refused_after()
    {
        var grain = await NewToken(["node"], TimeSpan.Zero);
        var token = await grain.Get();
        Assert.Equal(TimeSpan.FromMinutes(30), token!.Expires - token.CreatedAt);

        fixture.Time.Advance(TimeSpan.FromMinutes(31));
        var error = await Assert.ThrowsAsync<AuthException>(() => grain.Consume("node", "host-1", "key-1", Caller.System));

        Assert.Contains("expired", error.Message);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Token_does_not_grant_a_role_it_was_not_made_for()
    {
        var grain = await NewToken(["node"], TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<AuthException>(() => grain.Consume("proxy", "host-1", "key-1", Caller.System));

        Assert.Contains("does not grant role proxy", error.Message);
        Assert.NotNull(await grain.Get());
    }

    [Fact]
    public async Task Unknown_token_is_refused_with_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<AuthException>(() =>
            fixture.Grains.GetGrain<IJoinTokenGrain>("never-issued-token").Consume("node", "host-1", "key-1", Caller.System));

        Assert.Equal(AuthErrorKind.AccessDenied, error.Kind);
        Assert.Contains("no such token", error.Message);
    }

    [Fact]
    public async Task Unknown_token_role_is_refused()
    {
        var error = await Assert.ThrowsAsync<AuthException>(() => NewToken(["database-admin"], TimeSpan.Zero));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
    }

    [Fact]
    public async Task Listing_shows_live_tokens_and_drops_used_ones()
    {
        var grain = await NewToken(["node", "proxy"], TimeSpan.FromHours(1));
        var directory = fixture.Grains.GetGrain<IResourceDirectoryGrain<JoinToken>>(IResourceDirectoryGrain<JoinToken>.DefaultKey);
        var listed = Assert.Single(await directory.List(), t => t.Name == grain.GetPrimaryKeyString());
        Assert.Equal(["Node", "Proxy"], listed.Roles);

        await grain.Consume("proxy", "host-1", "key-1", Caller.System);

        Assert.DoesNotContain(await directory.List(), t => t.Name == grain.GetPrimaryKeyString());
    }

    private async Task<IJoinTokenGrain> NewToken(string[] roles, TimeSpan ttl)
    {
        var grain = fixture.Grains.GetGrain<IJoinTokenGrain>(Guid.NewGuid().ToString("N"));
        await grain.Create(roles, ttl, [], Admin);
        return grain;
    }
}
