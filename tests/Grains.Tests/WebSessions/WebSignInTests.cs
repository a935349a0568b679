using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Tests.Support;
using Teleport.Orleans.Grains.Users;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Grains.Tests.WebSessions;

/// <summary>
/// The web sessions' lifecycle inside the auth service: a sign-in starts one only with the user's credentials, and
/// renewal, sign-out everywhere and the web terminal's certificates each need the session's bearer.
/// </summary>
[Collection(AuthClusterCollection.Name)]
public sealed class WebSignInTests(AuthClusterFixture fixture)
{
    [Fact]
    public async Task Web_sign_in_with_the_right_credentials_starts_a_session_for_the_users_roles_that_its_bearer_opens()
    {
        var (user, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"], ["deploy"]);

        var result = await SignIn(user, TestUsers.Password, secret);

        var started = Assert.IsType<StartedWebSession>(result.Started);
        Assert.Equal(user, started.Session.User);
        Assert.Equal(["access"], started.Session.Roles);
        Assert.Equal(["deploy"], started.Session.Logins);
        Assert.Equal(TimeSpan.FromMinutes(30), started.Session.InactivityTimeout);
        var check = await fixture.Grains.GetGrain<IWebSessionGrain>(started.Session.Id).Use(WebSessionSecrets.Hash(started.Bearer));
        Assert.Equal(WebSessionFailure.None, check.Failure);
    }

    [Fact]
    public async Task Web_sign_in_with_a_wrong_password_starts_no_session()
    {
        var (user, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);

        var result = await SignIn(user, "not the password at all", secret);

        Assert.Null(result.Started);
        Assert.NotEqual(LoginFailure.None, result.Login.Failure);
    }

    [Fact]
    public async Task Renewal_gives_a_new_session_with_the_same_expiry_and_ends_the_old_one()
    {
        var (old, bearer) = await SignedIn();

        var renewed = await fixture.Grains.GetGrain<IWebSessionGrain>(old.Id).Renew(WebSessionSecrets.Hash(bearer), "192.0.2.7");

        Assert.NotEqual(old.Id, renewed.Session.Id);
        Assert.NotEqual(bearer, renewed.Bearer);
        Assert.Equal(old.Expires, renewed.Session.Expires);
        Assert.Equal("192.0.2.7", renewed.Session.ClientAddress);
        Assert.Equal(WebSessionFailure.Unknown, (await fixture.Grains.GetGrain<IWebSessionGrain>(old.Id).Check(WebSessionSecrets.Hash(bearer))).Failure);
        Assert.Equal(WebSessionFailure.None, (await fixture.Grains.GetGrain<IWebSessionGrain>(renewed.Session.Id).Check(WebSessionSecrets.Hash(renewed.Bearer))).Failure);
    }

    [Fact]
    public async Task Renewal_without_the_sessions_bearer_is_refused_and_the_session_stays()
    {
        var (session, bearer) = await SignedIn();
        var grain = fixture.Grains.GetGrain<IWebSessionGrain>(session.Id);

        var refused = await Assert.ThrowsAsync<AuthException>(() => grain.Renew(WebSessionSecrets.Hash("a guess"), "192.0.2.7"));

        Assert.Equal(AuthErrorKind.AccessDenied, refused.Kind);
        Assert.Equal(WebSessionFailure.None, (await grain.Check(WebSessionSecrets.Hash(bearer))).Failure);
    }

    [Fact]
    public async Task Signing_out_everywhere_from_one_session_ends_every_session_of_its_user_only()
    {
        var (user, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        var first = (await SignIn(user, TestUsers.Password, secret)).Started!;
        var second = (await SignIn(user, TestUsers.Password, secret)).Started!;
        var (other, otherBearer) = await SignedIn();

        var ended = await fixture.Grains.GetGrain<IWebSessionGrain>(first.Session.Id).EndAllOfUser(WebSessionSecrets.Hash(first.Bearer));

        Assert.Equal(2, ended);
        Assert.Equal(WebSessionFailure.Unknown, (await fixture.Grains.GetGrain<IWebSessionGrain>(second.Session.Id).Check(WebSessionSecrets.Hash(second.Bearer))).Failure);
        Assert.Equal(WebSessionFailure.None, (await fixture.Grains.GetGrain<IWebSessionGrain>(other.Id).Check(WebSessionSecrets.Hash(otherBearer))).Failure);
    }

    [Fact]
    public async Task Web_terminal_certificate_is_for_the_sessions_user_and_needs_its_bearer()
    {
        var (session, bearer) = await SignedIn();
        var grain = fixture.Grains.GetGrain<IWebSessionGrain>(session.Id);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var issued = await grain.IssueUserCertificates(WebSessionSecrets.Hash(bearer), key.PublicKey.ToAuthorizedKeysLine(), "192.0.2.7");
        var refused = await Assert.ThrowsAsync<AuthException>(() => grain.IssueUserCertificates(WebSessionSecrets.Hash("a guess"), key.PublicKey.ToAuthorizedKeysLine(), "192.0.2.7"));

        Assert.Equal(session.User, SshCertificate.Parse(issued.SshCertificate).KeyId);
        Assert.Equal(AuthErrorKind.AccessDenied, refused.Kind);
    }

    private async Task<(WebSession Session, string Bearer)> SignedIn()
    {
        var (user, secret) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        var started = (await SignIn(user, TestUsers.Password, secret)).Started!;
        return (started.Session, started.Bearer);
    }

    /// <summary>Signs in with the next one-time code (a code is good for one login).</summary>
    private Task<WebLoginResult> SignIn(string user, string password, string secret)
    {
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        return fixture.Grains.GetGrain<IUserLoginGrain>(0).LoginWeb(new UserLoginRequest
        {
            User = user,
            Password = password,
            OtpCode = TotpVerifier.Compute(secret, fixture.Time.GetUtcNow()),
            ClientAddress = "192.0.2.1",
        }, TimeSpan.FromMinutes(30), new Caller { Name = user, Roles = ["Proxy"] });
    }
}
