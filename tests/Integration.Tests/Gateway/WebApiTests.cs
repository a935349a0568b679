using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>The proxy's web API as tsh and a person with an invite link use it, on the all-in-one cluster.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WebApiTests(GatewayFixture fixture)
{
    private HttpClient Web => fixture.Web;

    [Fact]
    public async Task Ping_reports_the_cluster_second_factor_and_proxy_addresses()
    {
        var ping = await Web.GetFromJsonAsync<JsonObject>("/webapi/ping");

        var proxy = fixture.Server.Proxy!;
        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
        Assert.Equal("otp", ping["auth"]!["second_factor"]!.GetValue<string>());
        Assert.Equal($"127.0.0.1:{proxy.SshPort}", ping["proxy"]!["ssh"]!["listen_addr"]!.GetValue<string>());
        Assert.Equal($"127.0.0.1:{proxy.TunnelPort}", ping["proxy"]!["ssh"]!["tunnel_public_addr"]!.GetValue<string>());
        Assert.False(ping["proxy"]!["tls_routing_enabled"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(ping["server_version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Invited_user_sets_a_password_through_the_api_and_logs_in_for_certificates()
    {
        var token = await fixture.Invite("web-alice", logins: "alice");
        var secret = await fixture.Redeem(token, "correct horse battery");
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        // The next time step: the step used to enrol is spent.
        var response = await Web.PostAsJsonAsync("/v1/webapi/ssh/certs", new
        {
            user = "web-alice",
            password = "correct horse battery",
            otp_token = GatewayFixture.Code(secret, DateTime.UtcNow.AddSeconds(30)),
            pub_key = key.PublicKey.ToAuthorizedKeysLine(),
            ttl = 3600,
        });

        response.EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<JsonObject>();
        var certificate = SshCertificate.Parse(login!["cert"]!.GetValue<string>());
        Assert.Equal("web-alice", certificate.KeyId);
        Assert.Contains("alice", certificate.Principals);
        Assert.InRange(certificate.ValidBefore - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        Assert.Contains("BEGIN CERTIFICATE", login["tls_cert"]!.GetValue<string>());
        var signer = login["host_signers"]![0]!;
        Assert.Equal("itest.example.com", signer["domain_name"]!.GetValue<string>());
        Assert.StartsWith("ssh-", signer["checking_keys"]![0]!.GetValue<string>());
        var audit = await LoginEvents("web-alice");
        Assert.Contains(audit, e => e.Contains("\"success\":true", StringComparison.Ordinal) && e.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_password_gets_a_json_401_and_is_audited_as_a_failed_login()
    {
        var token = await fixture.Invite("web-bob");
        await fixture.Redeem(token, "the right password");

        var response = await Web.PostAsJsonAsync("/v1/webapi/ssh/certs", new { user = "web-bob", password = "wrong", otp_token = "000000", pub_key = NewKeyLine() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(string.IsNullOrEmpty(error!["error"]!["message"]!.GetValue<string>()));
        Assert.Contains(await LoginEvents("web-bob"), e => e.Contains("\"success\":false", StringComparison.Ordinal) && e.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_with_a_403_that_says_until_when()
    {
        var token = await fixture.Invite("web-carol");
        await fixture.Redeem(token, "carols password");

        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            response = await Web.PostAsJsonAsync("/v1/webapi/ssh/certs", new { user = "web-carol", password = "guess", otp_token = "000000", pub_key = NewKeyLine() });
            attempts++;
        }
        while (response.StatusCode == HttpStatusCode.Unauthorized && attempts < 20);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("lock", error!["error"]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(error["error"]!["locked_until"]);
    }

    [Fact]
    public async Task Unknown_invite_token_gets_a_json_404_and_sets_nothing()
    {
        var response = await Web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token = "0123456789abcdef0123456789abcdef", password = "whatever", second_factor_token = "123456" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("expired", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_login_body_gets_a_json_400()
    {
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        var response = await Web.PostAsync("/v1/webapi/ssh/certs", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    [Fact]
    public async Task Invite_link_opens_the_web_app_whose_api_shows_a_qr_code_and_sets_the_password()
    {
        var token = await fixture.Invite("web-dave");

        var page = await Web.GetAsync($"/web/invite/{token}");
        var details = await Web.GetFromJsonAsync<JsonObject>($"/v1/webapi/users/password/token/{token}");
        var secret = details!["otp_uri"]!.GetValue<string>().Split("secret=")[1].Split('&')[0];
        var redeemed = await Web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token, password = "daves password", second_factor_token = GatewayFixture.Code(secret, DateTime.UtcNow) });

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/web/app/app.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("web-dave", details["user"]!.GetValue<string>());
        Assert.StartsWith("iVBORw0KGgo", details["qrCode"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Web.GetAsync($"/v1/webapi/users/password/token/{token}")).StatusCode);
    }

    [Fact]
    public async Task Host_joins_through_the_proxy_once_with_a_token()
    {
        var client = fixture.AdminClient(out var channel);
        using var _ = channel;
        var token = (await client.CreateJoinTokenAsync(new CreateJoinTokenRequest { Roles = { "node" }, TtlSeconds = 600 })).Token.Name;
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var request = new RegisterUsingTokenRequest
        {
            Token = token,
            HostId = Guid.NewGuid().ToString(),
            NodeName = "joined-by-proxy",
            Role = "Node",
            SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
        };
        var json = Google.Protobuf.JsonFormatter.Default.Format(request);
        var otherHost = request.Clone();
        otherHost.HostId = Guid.NewGuid().ToString();

        var first = await Web.PostAsync("/v1/webapi/host/credentials", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        // The same host retrying with the same keys is answered again; another joiner with the used token is not.
        var retried = await Web.PostAsync("/v1/webapi/host/credentials", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var again = await Web.PostAsync(
            "/v1/webapi/host/credentials",
            new StringContent(Google.Protobuf.JsonFormatter.Default.Format(otherHost), System.Text.Encoding.UTF8, "application/json"));

        first.EnsureSuccessStatusCode();
        var certificates = Google.Protobuf.JsonParser.Default.Parse<Certificates>(await first.Content.ReadAsStringAsync());
        var certificate = SshCertificate.Parse(certificates.SshCertificate);
        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.Contains("joined-by-proxy", certificate.Principals);
        Assert.Equal("itest.example.com", certificates.ClusterName);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
    }

    private static string NewKeyLine()
    {
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        return key.PublicKey.ToAuthorizedKeysLine();
    }

    private async Task<string[]> LoginEvents(string user)
    {
        var client = fixture.AdminClient(out var channel);
        using var _ = channel;
        var found = await client.SearchEventsAsync(new SearchEventsRequest
        {
            From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
            To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
            EventTypes = { "user.login" },
            Limit = 1000,
        });
        return [.. found.Events.Where(e => e.Contains($"\"{user}\"", StringComparison.Ordinal))];
    }
}
