using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpNet;
using Teleport.Orleans.Integration.Tests.Gateway.WebUi;

namespace Teleport.Orleans.Integration.Tests.Apps;

/// <summary>
/// Launching an app from the web UI over HTTP, as the browser does it: <c>/x-teleport-auth</c> on the app's host
/// gives a state (and its cookie), the web session creates the app session, and the state and the session come back
/// to the app's host, which sets the app session cookie. What the web UI's launcher relies on, and what it refuses.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class AppLaunchTests(AppCluster cluster)
{
    private const string Password = "app launch test password";

    [Fact]
    public async Task A_signed_in_web_user_launches_an_app_and_reaches_it_with_the_cookie_alone()
    {
        using var web = await SignedIn("launch-" + Suffix(), "access");
        var cookies = new CookieContainer();
        using var browser = cluster.Client(cookies: cookies);

        var begin = await browser.GetAsync(cluster.Url("echo", "/x-teleport-auth?path=%2Fpage%3Fx%3D1"));
        var location = begin.Headers.Location!.ToString();
        var state = Regex.Match(location, "state=([0-9a-f]+)").Groups[1].Value;
        var created = await web.Post("/v1/webapi/sessions/app", new { fqdn = "echo.itest", cluster_name = "itest.example.com", public_addr = "echo.itest" });
        await Browser.Ok(created);
        var session = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var page = await browser.GetAsync(cluster.Url("echo", $"/x-teleport-auth?state={state}&path=%2Fpage"));
        var handoff = await CompleteLaunch(cluster, browser, "echo", state, session["cookie_value"]!.GetValue<string>());
        var app = await browser.GetAsync(cluster.Url("echo", "/page"));

        Assert.Equal(HttpStatusCode.Redirect, begin.StatusCode);
        Assert.StartsWith($"https://127.0.0.1:{cluster.WebPort}/web/launch/echo.itest/itest.example.com/echo.itest?state=", location, StringComparison.Ordinal);
        Assert.Contains("path=%2Fpage%3Fx%3D1", location, StringComparison.Ordinal);
        Assert.Contains(begin.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"__Host-grv_app_auth_state={state}", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("echo.itest", session["fqdn"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'sha256-", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, handoff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.Equal("/page", (await app.Content.ReadFromJsonAsync<JsonObject>())!["path"]!.GetValue<string>());
        await Eventually.Until(async () => (await cluster.AppEvents("app.session.start", session["cookie_value"]!.GetValue<string>())).Length > 0,
            TimeSpan.FromSeconds(15), "the launch's app.session.start event");
    }

    [Fact]
    public async Task Creating_an_app_session_needs_a_web_session_with_its_bearer_token()
    {
        using var web = await SignedIn("launch-" + Suffix(), "access");
        var body = new { fqdn = "echo.itest" };
        using var anonymous = new Browser(cluster.WebPort);
        using var cookieOnly = new Browser(cluster.WebPort) { Cookie = web.Cookie };

        var none = await anonymous.Post("/v1/webapi/sessions/app", body);
        var noBearer = await cookieOnly.Post("/v1/webapi/sessions/app", body);
        var certificateRequest = await web.Post("/v1/webapi/sessions/app", new { fqdn = "echo.itest", tls_public_key = "AAAA" });

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noBearer.StatusCode);
        Assert.Contains("bearer token", await Browser.Error(noBearer), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, certificateRequest.StatusCode);
    }

    [Fact]
    public async Task An_app_the_users_roles_do_not_reach_is_not_launched_and_the_refusal_is_audited()
    {
        var roleFile = Path.Combine(cluster.Tsh.Home.FullName, "launch-echo-only.yaml");
        await File.WriteAllTextAsync(roleFile, "kind: role\nversion: v7\nmetadata:\n  name: launch-echo-only\nspec:\n  allow:\n    app_labels:\n      env: test\n");
        (await cluster.Tsh.Server.Tctl("create", "-f", roleFile)).EnsureSuccess();
        var user = "launch-" + Suffix();
        using var web = await SignedIn(user, "launch-echo-only");

        var listed = await web.GetJson("/v1/webapi/sites/itest.example.com/apps");
        var refused = await web.Post("/v1/webapi/sessions/app", new { fqdn = "other.itest", cluster_name = "itest.example.com", public_addr = "other.itest" });

        // Other tests of this cluster may add apps labelled env: test (the tunnelled "remote"); "other" (env: secret) is never listed.
        var names = listed["items"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToArray();
        Assert.Contains("echo", names);
        Assert.DoesNotContain("other", names);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("access to app \"other\" denied", await Browser.Error(refused), StringComparison.Ordinal);
        await Eventually.Until(async () => (await cluster.AppEvents("app.session.start", user)).Any(e => e.Contains("T2007W", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), "the refusal's audit event");
    }

    [Fact]
    public async Task A_wrong_missing_replayed_or_foreign_state_sets_no_app_session_cookie()
    {
        using var web = await SignedIn("launch-" + Suffix(), "access");
        var value = await NewAppSession(web, "echo");

        // Another browser's state: the victim's browser holds a different state cookie (session fixation).
        using var victim = cluster.Client(cookies: new CookieContainer());
        await BeginLaunch(cluster, victim, "echo");
        var attackerState = await BeginLaunch(cluster, cluster.Client(cookies: new CookieContainer()), "echo");
        var wrong = await CompleteLaunch(cluster, victim, "echo", attackerState, value);

        // No state cookie at all.
        var missing = await CompleteLaunch(cluster, cluster.Client(), "echo", attackerState, value);

        // The right state twice: the second exchange finds it spent.
        var cookies = new CookieContainer();
        using var browser = cluster.Client(cookies: cookies);
        var state = await BeginLaunch(cluster, browser, "echo");
        var first = await CompleteLaunch(cluster, browser, "echo", state, value);
        using var replay = new HttpRequestMessage(HttpMethod.Post, cluster.Url("echo", "/x-teleport-auth")) { Content = JsonContent.Create(new { state_value = state, cookie_value = value }) };
        replay.Headers.Add("Cookie", $"__Host-grv_app_auth_state={state}");
        var replayed = await cluster.Client().SendAsync(replay);

        // A state issued on echo's host, presented (with a forged cookie) on other's host.
        var echoState = await BeginLaunch(cluster, cluster.Client(cookies: new CookieContainer()), "echo");
        using var foreign = new HttpRequestMessage(HttpMethod.Post, cluster.Url("other", "/x-teleport-auth")) { Content = JsonContent.Create(new { state_value = echoState, cookie_value = value }) };
        foreign.Headers.Add("Cookie", $"__Host-grv_app_auth_state={echoState}");
        var elsewhere = await cluster.Client().SendAsync(foreign);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains("does not match", await AppCluster.ErrorMessage(wrong), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Contains("no state", await AppCluster.ErrorMessage(missing), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Contains("already used", await AppCluster.ErrorMessage(replayed), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Contains("another app", await AppCluster.ErrorMessage(elsewhere), StringComparison.Ordinal);
        foreach (var refused in new[] { wrong, missing, replayed, elsewhere })
        {
            Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("__Host-grv_app_session=", StringComparison.Ordinal));
        }
    }

    /// <summary>Step one of a launch on the app's host: the state the proxy put in the redirect (its cookie is in <paramref name="browser"/>'s jar).</summary>
    internal static async Task<string> BeginLaunch(AppCluster cluster, HttpClient browser, string app)
    {
        var response = await browser.GetAsync(cluster.Url(app, "/x-teleport-auth"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Regex.Match(response.Headers.Location!.ToString(), "state=([0-9a-f]+)").Groups[1].Value;
    }

    /// <summary>The last step: what the exchange page's script posts.</summary>
    internal static Task<HttpResponseMessage> CompleteLaunch(AppCluster cluster, HttpClient browser, string app, string state, string sessionValue) =>
        browser.PostAsJsonAsync(cluster.Url(app, "/x-teleport-auth"), new { state_value = state, cookie_value = sessionValue });

    private static async Task<string> NewAppSession(Browser web, string app)
    {
        var created = await web.Post("/v1/webapi/sessions/app", new { fqdn = $"{app}.itest" });
        await Browser.Ok(created);
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["cookie_value"]!.GetValue<string>();
    }

    /// <summary>A new user with <paramref name="roles"/>: invite redeemed with a TOTP code, then signed in to the web UI with the next one.</summary>
    private async Task<Browser> SignedIn(string user, string roles)
    {
        var server = cluster.Tsh.Server;
        var added = (await server.Tctl("users", "add", user, $"--roles={roles}", "--logins=nobody")).EnsureSuccess();
        var token = InviteLink().Match(added.Stdout).Groups[1].Value;
        using var anonymous = Gateway.WebClient.For(cluster.WebPort, out _);
        var details = await anonymous.GetFromJsonAsync<JsonObject>($"/v1/webapi/users/password/token/{token}");
        var totp = new Totp(Base32Encoding.ToBytes(SecretInUri().Match(details!["otp_uri"]!.GetValue<string>()).Groups[1].Value));
        (await anonymous.PutAsJsonAsync("/v1/webapi/users/password/token", new { token, password = Password, second_factor_token = totp.ComputeTotp(DateTime.UtcNow) })).EnsureSuccessStatusCode();
        var web = new Browser(cluster.WebPort);
        await Browser.Ok(await web.SignIn(user, Password, totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30))));
        return web;
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    [GeneratedRegex("/web/invite/([0-9a-f]{32})")]
    private static partial Regex InviteLink();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex SecretInUri();
}
