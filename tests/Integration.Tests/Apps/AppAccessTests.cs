using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Tsh;

namespace Teleport.Orleans.Integration.Tests.Apps;

/// <summary>App access end to end: tsh apps, the proxy at NAME.itest, the app behind it, and what is refused.</summary>
[Collection(AppCollection.Name)]
public sealed class AppAccessTests(AppCluster cluster)
{
    private DirectoryInfo Alice => cluster.Tsh.Home;

    [Fact]
    public async Task Tsh_apps_login_credentials_reach_the_app_which_gets_forwarded_headers_and_a_jwt()
    {
        var listed = (await TshCluster.TshIn(Alice, "", "apps", "ls")).EnsureSuccess();
        Assert.Contains("echo", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("Echo app", listed.Stdout, StringComparison.Ordinal);

        var (certificate, login) = await cluster.AppsLogin(Alice, "echo");
        login.EnsureSuccess();
        Assert.Contains("Logged into app echo", login.Stdout, StringComparison.Ordinal);
        Assert.Contains("curl", login.Stdout, StringComparison.Ordinal);
        Assert.Contains($"https://echo.itest:{cluster.WebPort}/", login.Stdout, StringComparison.Ordinal);

        using var client = cluster.Client(certificate);
        var response = await client.GetAsync(cluster.Url("echo", "/hello?x=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("/hello", seen["path"]!.GetValue<string>());
        var headers = seen["headers"]!;
        Assert.Equal("https", headers["x-forwarded-proto"]!.GetValue<string>());
        Assert.Equal($"echo.itest:{cluster.WebPort}", headers["x-forwarded-host"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", headers["x-forwarded-for"]!.GetValue<string>());
        Assert.Equal("ops", headers["x-team"]!.GetValue<string>());

        var claims = await VerifiedClaims(headers["teleport-jwt-assertion"]!.GetValue<string>());
        Assert.Equal("alice", claims["username"]!.GetValue<string>());
        Assert.Equal("alice", claims["sub"]!.GetValue<string>());
        Assert.Equal("itest.example.com", claims["iss"]!.GetValue<string>());
        Assert.Equal(cluster.Echo.Uri, claims["aud"]![0]!.GetValue<string>());
        Assert.Contains("access", claims["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(claims["nbf"]!.GetValue<long>(), now - 120, now);
        Assert.True(claims["exp"]!.GetValue<long>() > now);
    }

    [Fact]
    public async Task A_forwarded_request_is_audited_with_its_path()
    {
        var (certificate, login) = await cluster.AppsLogin(Alice, "echo");
        login.EnsureSuccess();
        using var client = cluster.Client(certificate);
        (await client.GetAsync(cluster.Url("echo", "/audited"))).EnsureSuccessStatusCode();

        await Eventually.Until(async () => (await cluster.AppEvents("app.session.request", "\"path\":\"/audited\"")).Length > 0, TimeSpan.FromSeconds(15), "the request's audit event");
    }

    [Fact]
    public async Task Websocket_echo_works_through_the_proxy()
    {
        var (certificate, login) = await cluster.AppsLogin(Alice, "echo");
        login.EnsureSuccess();
        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(cluster.Handler(certificate));
        await socket.ConnectAsync(new Uri($"wss://echo.itest:{cluster.WebPort}/ws"), invoker, CancellationToken.None);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello through the proxy"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("hello through the proxy", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Requests_without_credentials_never_reach_the_app()
    {
        var before = cluster.Echo.Requests;
        using var client = cluster.Client();

        var api = await client.GetAsync(cluster.Url("echo", "/data"));
        using var page = new HttpRequestMessage(HttpMethod.Get, cluster.Url("echo", "/dashboard"));
        page.Headers.Accept.ParseAdd("text/html");
        var browser = await client.SendAsync(page);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("tsh apps login echo", await AppCluster.ErrorMessage(api), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Equal($"https://127.0.0.1:{cluster.WebPort}/web/launch/echo.itest?path=%2Fdashboard", browser.Headers.Location!.ToString());
        Assert.Equal(before, cluster.Echo.Requests);
    }

    [Fact]
    public async Task Host_naming_an_unknown_app_is_refused_and_audited()
    {
        using var client = cluster.Client(AppCluster.UserCertificate(Alice));

        var response = await client.GetAsync(cluster.Url("nosuchapp"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no app named \"nosuchapp\"", await AppCluster.ErrorMessage(response), StringComparison.Ordinal);
        await Eventually.Until(async () => (await cluster.AppEvents("app.session.start", "\"app_name\":\"nosuchapp\"")).Any(e => e.Contains("T2007W", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), "the refusal's audit event");
    }

    [Fact]
    public async Task Browser_gets_a_session_cookie_that_works_for_its_app_only()
    {
        var session = await cluster.CreateSession(AppCluster.UserCertificate(Alice), "echo");
        var cookie = session["cookie_value"]!.GetValue<string>();
        var subject = session["subject_cookie_value"]!.GetValue<string>();
        var cookies = new CookieContainer();
        using var browser = cluster.Client(cookies: cookies);

        var state = await AppLaunchTests.BeginLaunch(cluster, browser, "echo");
        var handoff = await AppLaunchTests.CompleteLaunch(cluster, browser, "echo", state, cookie);
        var app = await browser.GetAsync(cluster.Url("echo", "/page"));
        var before = cluster.Other.Requests;
        using var elsewhere = new HttpRequestMessage(HttpMethod.Get, cluster.Url("other", "/page"));
        elsewhere.Headers.Add("Cookie", $"__Host-grv_app_session={cookie}; __Host-grv_app_session_subject={subject}");
        var other = await cluster.Client().SendAsync(elsewhere);

        Assert.Equal(HttpStatusCode.OK, handoff.StatusCode);
        Assert.Contains(handoff.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-grv_app_session=", StringComparison.Ordinal));
        Assert.Contains(handoff.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"__Host-grv_app_session_subject={subject};", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        var seen = (await app.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(seen["headers"]!.AsObject().ContainsKey("cookie"), "the app session cookie must not reach the app");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("is for app \"echo\"", await AppCluster.ErrorMessage(other), StringComparison.Ordinal);
        Assert.Equal(before, cluster.Other.Requests);
        await Eventually.Until(async () => (await cluster.AppEvents("app.session.start", "is for app")).Length > 0, TimeSpan.FromSeconds(15), "the refusal's audit event");
    }

    [Fact]
    public async Task An_app_session_cookie_is_honoured_only_beside_its_own_subject_cookie()
    {
        var user = AppCluster.UserCertificate(Alice);
        var session = await cluster.CreateSession(user, "echo");
        var cookie = session["cookie_value"]!.GetValue<string>();
        var subject = session["subject_cookie_value"]!.GetValue<string>();
        var foreign = (await cluster.CreateSession(user, "echo"))["subject_cookie_value"]!.GetValue<string>();
        using var client = cluster.Client();
        async Task<HttpResponseMessage> Get(string cookies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, cluster.Url("echo", "/subject"));
            request.Headers.Add("Cookie", cookies);
            return await client.SendAsync(request);
        }

        var before = cluster.Echo.Requests;
        var alone = await Get($"__Host-grv_app_session={cookie}");
        var mismatched = await Get($"__Host-grv_app_session={cookie}; __Host-grv_app_session_subject={foreign}");
        Assert.Equal(before, cluster.Echo.Requests);
        var paired = await Get($"__Host-grv_app_session={cookie}; __Host-grv_app_session_subject={subject}");

        Assert.Equal(HttpStatusCode.Forbidden, alone.StatusCode);
        Assert.Contains("without its subject cookie", await AppCluster.ErrorMessage(alone), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, mismatched.StatusCode);
        Assert.Contains("subject cookie does not match", await AppCluster.ErrorMessage(mismatched), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, paired.StatusCode);
        Assert.Equal(before + 1, cluster.Echo.Requests);
    }

    [Fact]
    public async Task Roles_without_matching_app_labels_cannot_log_in_to_the_app_or_see_it()
    {
        var roleFile = Path.Combine(cluster.Tsh.Home.FullName, "test-apps-role.yaml");
        await File.WriteAllTextAsync(roleFile, """
            kind: role
            version: v7
            metadata:
              name: test-apps
            spec:
              allow:
                app_labels:
                  env: test
            """);
        (await cluster.Tsh.Server.Tctl("create", "-f", roleFile)).EnsureSuccess();
        var home = Directory.CreateTempSubdirectory("tsh-apps-bob-");
        try
        {
            (await cluster.Tsh.AddUserAndLoginAsync("app-bob", "test-apps", home)).Login.EnsureSuccess();

            var listed = (await TshCluster.TshIn(home, "", "apps", "ls")).EnsureSuccess();
            var (_, denied) = await cluster.AppsLogin(home, "other");
            var (allowed, granted) = await cluster.AppsLogin(home, "echo");

            Assert.Contains("echo", listed.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("other", listed.Stdout, StringComparison.Ordinal);
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("denied", denied.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", denied.Stderr, StringComparison.Ordinal);
            granted.EnsureSuccess();
            using var client = cluster.Client(allowed);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(cluster.Url("echo"))).StatusCode);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Locked_user_is_refused_and_audited()
    {
        var home = Directory.CreateTempSubdirectory("tsh-apps-carol-");
        try
        {
            (await cluster.Tsh.AddUserAndLoginAsync("app-carol", "access", home)).Login.EnsureSuccess();
            var (certificate, login) = await cluster.AppsLogin(home, "echo");
            login.EnsureSuccess();
            using var client = cluster.Client(certificate);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(cluster.Url("echo"))).StatusCode);

            (await cluster.Tsh.Server.Tctl("lock", "--user=app-carol", "--message=incident 7")).EnsureSuccess();
            HttpResponseMessage? refused = null;
            await Eventually.Until(async () => (refused = await client.GetAsync(cluster.Url("echo"))).StatusCode == HttpStatusCode.Forbidden,
                TimeSpan.FromSeconds(20), "the lock to reach the proxy");

            Assert.Contains("incident 7", await AppCluster.ErrorMessage(refused!), StringComparison.Ordinal);
            await Eventually.Until(async () => (await cluster.AppEvents("app.session.start", "app-carol")).Any(e => e.Contains("locked", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(15), "the refusal's audit event");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Expired_app_certificate_is_refused_and_audited()
    {
        var roleFile = Path.Combine(cluster.Tsh.Home.FullName, "short-role.yaml");
        await File.WriteAllTextAsync(roleFile, """
            kind: role
            version: v7
            metadata:
              name: short-apps
            spec:
              options:
                max_session_ttl: 30s
              allow:
                app_labels:
                  '*': '*'
            """);
        (await cluster.Tsh.Server.Tctl("create", "-f", roleFile)).EnsureSuccess();
        var home = Directory.CreateTempSubdirectory("tsh-apps-dave-");
        try
        {
            (await cluster.Tsh.AddUserAndLoginAsync("app-dave", "short-apps", home)).Login.EnsureSuccess();
            var session = await cluster.CreateSession(AppCluster.UserCertificate(home), "echo", AppCluster.NewPublicKey(out var key));
            using var _ = key;
            using var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(session["tls_cert"]!.GetValue<string>());
            using var certificate = AppCluster.Load(session["tls_cert"]!.GetValue<string>(), key.ExportPkcs8PrivateKeyPem());
            Assert.True(pem.NotAfter.ToUniversalTime() < DateTime.UtcNow.AddSeconds(31));
            using var client = cluster.Client(certificate);

            HttpResponseMessage? refused = null;
            await Eventually.Until(async () => (refused = await client.GetAsync(cluster.Url("echo"))).StatusCode == HttpStatusCode.Forbidden,
                TimeSpan.FromSeconds(60), "the certificate to expire");

            Assert.Contains("expired", await AppCluster.ErrorMessage(refused!), StringComparison.Ordinal);
            await Eventually.Until(async () => (await cluster.AppEvents("app.session.start", "app-dave")).Any(e => e.Contains("expired", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(15), "the refusal's audit event");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Tsh_apps_logout_ends_the_session_so_its_certificate_stops_working()
    {
        var home = Directory.CreateTempSubdirectory("tsh-apps-erin-");
        try
        {
            (await cluster.Tsh.AddUserAndLoginAsync("app-erin", "access", home)).Login.EnsureSuccess();
            var (certificate, login) = await cluster.AppsLogin(home, "echo");
            login.EnsureSuccess();
            var json = (await TshCluster.TshIn(home, "", "apps", "config", "echo", "--format=json")).EnsureSuccess();
            Assert.Contains("\"curl\"", json.Stdout, StringComparison.Ordinal);

            var logout = (await TshCluster.TshIn(home, "", "apps", "logout", "echo")).EnsureSuccess();
            using var client = cluster.Client(certificate);
            var response = await client.GetAsync(cluster.Url("echo"));

            Assert.Contains("Logged out of app echo", logout.Stdout, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            await Eventually.Until(async () => (await cluster.AppEvents("app.session.end", "app-erin")).Length > 0, TimeSpan.FromSeconds(15), "the session end's audit event");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>Checks the JWT's RS256 signature with the key jwks.json publishes under its kid, and returns its claims.</summary>
    private async Task<JsonObject> VerifiedClaims(string jwt)
    {
        using var client = cluster.Client();
        var jwks = (await client.GetFromJsonAsync<JsonObject>($"https://itest:{cluster.WebPort}/.well-known/jwks.json"))!;
        var parts = jwt.Split('.');
        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var jwk = jwks["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == header["kid"]!.GetValue<string>())!;
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url(jwk["n"]!.GetValue<string>()), Exponent = Base64Url(jwk["e"]!.GetValue<string>()) });
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "the JWT's signature does not verify against jwks.json");
        return JsonNode.Parse(Base64Url(parts[1]))!.AsObject();
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
