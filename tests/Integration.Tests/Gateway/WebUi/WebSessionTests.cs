using System.Net;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>Signing in to the web UI, the CSRF pairing of cookie and bearer token, signing out, and the security headers.</summary>
[Collection(WebUiCollection.Name)]
public sealed class WebSessionTests(WebUiCluster cluster)
{
    private const string Context = $"/v1/webapi/sites/{WebUiCluster.Site}/context";

    [Fact]
    public async Task Sign_in_sets_a_host_only_http_only_secure_cookie_and_returns_a_bearer_token()
    {
        using var browser = new Browser(cluster.Server.Proxy!.WebPort);

        var response = await browser.SignIn("web-user", WebUiCluster.Password);

        await Browser.Ok(response);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("__Host-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("path=/", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.Ordinal);
        Assert.Contains("secure", setCookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", setCookie, StringComparison.Ordinal);
        Assert.Equal("bearer", browser.SignInResponse!["type"]!.GetValue<string>());
        Assert.InRange(browser.SignInResponse["expires_in"]!.GetValue<long>(), 3600, 12 * 3600);
        var context = await browser.GetJson(Context);
        Assert.Equal("web-user", context["userName"]!.GetValue<string>());
        Assert.Contains(WebUiCluster.Login, context["logins"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.False(context["editor"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Wrong_password_is_a_401_with_a_message_and_repeated_failures_lock_the_account_until_a_time()
    {
        await cluster.AddUser("web-locked", "access");
        using var browser = new Browser(cluster.Server.Proxy!.WebPort);

        var wrong = await browser.SignIn("web-locked", "not the password");
        HttpResponseMessage last = wrong;
        for (var i = 0; i < 6 && last.StatusCode == HttpStatusCode.Unauthorized; i++)
        {
            last = await browser.SignIn("web-locked", "not the password");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("invalid", await Browser.Error(wrong), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, last.StatusCode);
        var locked = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(last.Content);
        Assert.True(locked!["error"]!["locked_until"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_lock_on_the_user_refuses_sign_in_and_ends_the_open_session()
    {
        await cluster.AddUser("web-tolock", "access");
        using var browser = await cluster.SignIn("web-tolock");
        using var editor = await cluster.SignIn("web-editor");

        var created = await editor.Put($"/v1/webapi/sites/{WebUiCluster.Site}/locks", new { targets = new { user = "web-tolock" }, message = "incident 7" });
        await Browser.Ok(created);

        HttpResponseMessage refused = null!;
        await Eventually.Until(async () => (refused = await browser.Get(Context)).StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(20), "the lock to reach the proxy");
        Assert.Contains("incident 7", await Browser.Error(refused), StringComparison.Ordinal);
        var again = await browser.Get(Context);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        using var other = new Browser(cluster.Server.Proxy!.WebPort);
        var signIn = await other.SignIn("web-tolock", WebUiCluster.Password);
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("locked", await Browser.Error(signIn), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_with_the_cookie_but_without_the_bearer_token_is_refused_as_csrf()
    {
        using var browser = await cluster.SignIn("web-user");
        browser.Bearer = null;

        var response = await browser.Get(Context);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("CSRF", await Browser.Error(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_token_of_another_session_does_not_unlock_a_cookie()
    {
        using var mine = await cluster.SignIn("web-user");
        using var theirs = await cluster.SignIn("web-editor");
        mine.Bearer = theirs.Bearer;

        var withTheirToken = await mine.Get(Context);
        theirs.Cookie = null;
        var tokenAlone = await theirs.Get(Context);

        Assert.Equal(HttpStatusCode.Forbidden, withTheirToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAlone.StatusCode);
    }

    [Fact]
    public async Task Cookie_naming_another_users_session_id_is_refused()
    {
        using var mine = await cluster.SignIn("web-user");
        using var theirs = await cluster.SignIn("web-editor");
        // The cookie is hex of {"user","sid"}: claim the editor's name with my own session id and token.
        var myCookie = mine.Cookie!["__Host-session=".Length..];
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromHexString(myCookie)).Replace("web-user", "web-editor", StringComparison.Ordinal);
        mine.Cookie = "__Host-session=" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(json));

        var response = await mine.Get(Context);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_clears_the_cookie()
    {
        using var browser = await cluster.SignIn("web-user");

        var signOut = await browser.Delete("/v1/webapi/sessions/web");
        var after = await browser.Get(Context);

        await Browser.Ok(signOut);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), v => v.StartsWith("__Host-session=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("sign in again", await Browser.Error(after), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_users_other_sessions_too()
    {
        await cluster.AddUser("web-everywhere", "access");
        using var laptop = await cluster.SignIn("web-everywhere");
        using var phone = await cluster.SignIn("web-everywhere");
        using var someoneElse = await cluster.SignIn("web-user");

        var response = await laptop.Delete("/v1/webapi/sessions/web/all");

        await Browser.Ok(response);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.Get(Context)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.Get(Context)).StatusCode);
        await Browser.Ok(await someoneElse.Get(Context));
    }

    [Fact]
    public async Task Renewal_gives_a_new_token_and_cookie_and_ends_the_old_session_without_extending_expiry()
    {
        using var browser = await cluster.SignIn("web-user");
        var oldBearer = browser.Bearer;
        var oldCookie = browser.Cookie;
        var oldExpiry = browser.SignInResponse!["sessionExpires"]!.GetValue<DateTimeOffset>();

        var renewed = await browser.Post("/v1/webapi/sessions/web/renew", new { });
        await Browser.Ok(renewed);
        browser.Remember(renewed);

        Assert.NotEqual(oldBearer, browser.Bearer);
        Assert.NotEqual(oldCookie, browser.Cookie);
        Assert.Equal(oldExpiry, browser.SignInResponse!["sessionExpires"]!.GetValue<DateTimeOffset>());
        await Browser.Ok(await browser.Get(Context));
        browser.Bearer = oldBearer;
        browser.Cookie = oldCookie;
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Get(Context)).StatusCode);
    }

    [Fact]
    public async Task Body_that_is_not_json_is_refused_with_415()
    {
        using var browser = await cluster.SignIn("web-editor");

        var response = await browser.Send(HttpMethod.Post, "/v1/webapi/roles", new { content = "kind: role" }, "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await Browser.Error(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_responses_carry_the_security_headers_and_are_never_cached()
    {
        using var browser = await cluster.SignIn("web-user");

        var response = await browser.Get(Context);

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("max-age=", string.Join(' ', response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Calls_without_any_credentials_are_401_with_a_json_message()
    {
        using var browser = new Browser(cluster.Server.Proxy!.WebPort);
        browser.Cookie = "__Host-session=00";

        var response = await browser.Get(Context);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await Browser.Error(response)));
    }
}
