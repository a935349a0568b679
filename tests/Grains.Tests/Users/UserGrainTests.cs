using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;
using Teleport.Orleans.Grains.Users;

namespace Teleport.Orleans.Grains.Tests.Users;

[Collection(AuthClusterCollection.Name)]
public sealed class UserGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller Admin = new() { Name = "admin" };

    [Fact]
    public async Task Invited_user_logs_in_with_password_and_current_otp_code()
    {
        var (name, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        fixture.Time.Advance(TimeSpan.FromSeconds(30));

        var result = await Login(name, TestUsers.Password, TotpVerifier.Compute(secret, fixture.Time.GetUtcNow()));

        Assert.True(result.Success, result.Message);
        Assert.True(result.User!.HasPassword);
        Assert.True(result.User.HasOtp);
    }

    [Fact]
    public async Task Otp_code_cannot_be_used_twice()
    {
        var (name, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var code = TotpVerifier.Compute(secret, fixture.Time.GetUtcNow());

        Assert.True((await Login(name, TestUsers.Password, code)).Success);
        var replay = await Login(name, TestUsers.Password, code);

        Assert.False(replay.Success);
        Assert.Equal(LoginFailure.InvalidCredentials, replay.Failure);
    }

    [Fact]
    public async Task Missing_otp_code_is_refused_when_the_cluster_requires_otp()
    {
        var (name, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);

        var result = await Login(name, TestUsers.Password, "");

        Assert.False(result.Success);
        Assert.Equal(LoginFailure.OtpRequired, result.Failure);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_answer()
    {
        var (name, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        var code = TotpVerifier.Compute(secret, fixture.Time.GetUtcNow().AddSeconds(30));

        var wrongPassword = await Login(name, "not the password at all", code);
        var unknownUser = await Login(TestUsers.UniqueName("ghost"), TestUsers.Password, code);

        Assert.Equal(LoginFailure.InvalidCredentials, wrongPassword.Failure);
        Assert.Equal(LoginFailure.InvalidCredentials, unknownUser.Failure);
        Assert.Equal(wrongPassword.Message, unknownUser.Message);
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account_for_thirty_minutes()
    {
        var (name, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null((await Login(name, "wrong password " + i, "000000")).LockedUntil);
        }

        var fifth = await Login(name, "wrong password 5", "000000");
        Assert.NotNull(fifth.LockedUntil);

        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var whileLocked = await Login(name, TestUsers.Password, TotpVerifier.Compute(secret, fixture.Time.GetUtcNow()));
        Assert.Equal(LoginFailure.Locked, whileLocked.Failure);
        Assert.NotNull((await fixture.Grains.GetGrain<IUserGrain>(name).Get())!.LockedUntil);

        fixture.Time.Advance(TimeSpan.FromMinutes(30));
        var afterLock = await Login(name, TestUsers.Password, TotpVerifier.Compute(secret, fixture.Time.GetUtcNow()));
        Assert.True(afterLock.Success, afterLock.Message);
    }

    [Fact]
    public async Task Failures_older_than_thirty_minutes_do_not_count_towards_the_lock()
    {
        var (name, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        for (var i = 0; i < 4; i++)
        {
            await Login(name, "wrong password", "000000");
        }

        fixture.Time.Advance(TimeSpan.FromMinutes(31));
        var next = await Login(name, "wrong password", "000000");

        Assert.Null(next.LockedUntil);
    }

    [Fact]
    public async Task Short_password_is_refused_and_the_invite_stays_usable()
    {
        var name = TestUsers.UniqueName("short");
        await fixture.Grains.GetGrain<IUserGrain>(name).Save(new User { Name = name, Roles = ["access"] }, upsert: false, Admin);
        var token = await fixture.Grains.GetGrain<IUserTokenGrain>(Guid.NewGuid().ToString("N")).Create(name, UserTokenKind.Invite, TimeSpan.Zero, Admin);
        var code = TotpVerifier.Compute(token.OtpSecret, fixture.Time.GetUtcNow());

        var error = await Assert.ThrowsAsync<AuthException>(() => fixture.Grains.GetGrain<IUserTokenGrain>(token.Id).Redeem("short", code, Admin));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
        Assert.Contains("at least 12", error.Message);
        Assert.False((await fixture.Grains.GetGrain<IUserGrain>(name).Get())!.HasPassword);
        Assert.NotNull(await fixture.Grains.GetGrain<IUserTokenGrain>(token.Id).Get());
    }

    [Fact]
    public async Task Invite_expires_after_its_ttl()
    {
        var name = TestUsers.UniqueName("late");
        await fixture.Grains.GetGrain<IUserGrain>(name).Save(new User { Name = name, Roles = ["access"] }, upsert: false, Admin);
        var token = await fixture.Grains.GetGrain<IUserTokenGrain>(Guid.NewGuid().ToString("N")).Create(name, UserTokenKind.Invite, TimeSpan.Zero, Admin);

        fixture.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<AuthException>(() =>
            fixture.Grains.GetGrain<IUserTokenGrain>(token.Id).Redeem(TestUsers.Password, TotpVerifier.Compute(token.OtpSecret, fixture.Time.GetUtcNow()), Admin));

        Assert.Equal(AuthErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task User_with_an_unknown_role_is_not_created()
    {
        var name = TestUsers.UniqueName("norole");

        var error = await Assert.ThrowsAsync<AuthException>(() =>
            fixture.Grains.GetGrain<IUserGrain>(name).Save(new User { Name = name, Roles = ["no-such-role"] }, upsert: false, Admin));

        Assert.Equal(AuthErrorKind.NotFound, error.Kind);
        Assert.Null(await fixture.Grains.GetGrain<IUserGrain>(name).Get());
    }

    [Fact]
    public async Task Creating_an_existing_user_fails_and_keeps_the_original()
    {
        var name = TestUsers.UniqueName("dup");
        var grain = fixture.Grains.GetGrain<IUserGrain>(name);
        await grain.Save(new User { Name = name, Roles = ["access"] }, upsert: false, Admin);

        var error = await Assert.ThrowsAsync<AuthException>(() => grain.Save(new User { Name = name, Roles = ["editor"] }, upsert: false, Admin));

        Assert.Equal(AuthErrorKind.AlreadyExists, error.Kind);
        Assert.Equal(["access"], (await grain.Get())!.Roles);
    }

    [Fact]
    public async Task Listing_users_reads_the_directory_and_sees_deletions()
    {
        var name = TestUsers.UniqueName("listed");
        var grain = fixture.Grains.GetGrain<IUserGrain>(name);
        await grain.Save(new User { Name = name, Roles = ["access"] }, upsert: false, Admin);
        var directory = fixture.Grains.GetGrain<IResourceDirectoryGrain<User>>(IResourceDirectoryGrain<User>.DefaultKey);
        Assert.Contains(await directory.List(), u => u.Name == name);

        await grain.Delete(Admin);

        Assert.DoesNotContain(await directory.List(), u => u.Name == name);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Invalid_user_name_is_refused()
    {
        var error = await Assert.ThrowsAsync<AuthException>(() =>
            fixture.Grains.GetGrain<IUserGrain>("bad name!").Save(new User { Name = "bad name!", Roles = ["access"] }, upsert: false, Admin));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
    }

    private Task<LoginResult> Login(string name, string password, string code) =>
        fixture.Grains.GetGrain<IUserGrain>(name).Authenticate(new PasswordLogin { Password = password, OtpCode = code, ClientAddress = "127.0.0.1:5000" });
}
