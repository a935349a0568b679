using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>The editor pages' calls (users, roles, join tokens, locks) and the account page, each behind tctl's role rules.</summary>
[Collection(WebUiCollection.Name)]
public sealed class WebEditorTests(WebUiCluster cluster)
{
    private const string Locks = $"/v1/webapi/sites/{WebUiCluster.Site}/locks";

    [Fact]
    public async Task Editor_adds_a_user_whose_invite_link_sets_a_password_then_resets_and_deletes_them()
    {
        using var editor = await cluster.SignIn("web-editor");

        var added = await editor.Post("/v1/webapi/users", new { name = "web-invited", roles = new[] { "access" }, traits = new { logins = new[] { WebUiCluster.Login } } });
        await Browser.Ok(added);
        var invite = await editor.Post("/v1/webapi/users/password/token", new { name = "web-invited", type = "invite" });
        await Browser.Ok(invite);
        var link = (await invite.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>();
        Assert.Contains("/web/invite/", link, StringComparison.Ordinal);
        await cluster.Redeem(link[(link.LastIndexOf('/') + 1)..], "invited users password");
        using (var invited = await cluster.SignIn("web-invited", "invited users password"))
        {
            Assert.Equal("web-invited", (await invited.GetJson($"/v1/webapi/sites/{WebUiCluster.Site}/context"))["userName"]!.GetValue<string>());
        }

        var users = (await editor.GetJson("/v1/webapi/users")).AsArray();
        Assert.Contains(users, u => u!["name"]!.GetValue<string>() == "web-invited" && u["roles"]![0]!.GetValue<string>() == "access");
        var reset = await editor.Post("/v1/webapi/users/password/token", new { name = "web-invited", type = "reset" });
        await Browser.Ok(reset);
        Assert.Contains("/web/reset/", (await reset.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        await Browser.Ok(await editor.Delete("/v1/webapi/users/web-invited"));
        Assert.DoesNotContain((await editor.GetJson("/v1/webapi/users")).AsArray(), u => u!["name"]!.GetValue<string>() == "web-invited");
    }

    [Fact]
    public async Task Editor_creates_a_role_from_yaml_reads_it_back_updates_and_deletes_it()
    {
        using var editor = await cluster.SignIn("web-editor");
        const string yaml = "kind: role\nversion: v7\nmetadata:\n  name: web-made\nspec:\n  allow:\n    logins: [deploy]\n    node_labels:\n      env: staging\n";

        await Browser.Ok(await editor.Post("/v1/webapi/roles", new { content = yaml }));
        var duplicate = await editor.Post("/v1/webapi/roles", new { content = yaml });
        var updated = await editor.Put("/v1/webapi/roles/web-made", new { content = yaml.Replace("deploy", "deployer", StringComparison.Ordinal) });

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        await Browser.Ok(updated);
        var roles = (await editor.GetJson("/v1/webapi/roles")).AsArray();
        var made = roles.Single(r => r!["name"]!.GetValue<string>() == "web-made")!;
        Assert.Contains("deployer", made["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("role:web-made", made["id"]!.GetValue<string>());
        await Browser.Ok(await editor.Delete("/v1/webapi/roles/web-made"));
        Assert.DoesNotContain((await editor.GetJson("/v1/webapi/roles")).AsArray(), r => r!["name"]!.GetValue<string>() == "web-made");
    }

    [Fact]
    public async Task Invalid_role_yaml_is_a_400_whose_message_says_what_is_wrong()
    {
        using var editor = await cluster.SignIn("web-editor");

        var broken = await editor.Post("/v1/webapi/roles", new { content = "kind: role\nversion: v7\nmetadata:\n  name: web-bad\nspec:\n  allow:\n    logins: [\n" });
        var wrongField = await editor.Post("/v1/webapi/roles", new { content = "kind: role\nversion: v7\nmetadata:\n  name: web-bad\nspec:\n  alow:\n    logins: [x]\n" });
        var renamed = await editor.Put("/v1/webapi/roles/editor", new { content = "kind: role\nversion: v7\nmetadata:\n  name: other\nspec: {}\n" });

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("YAML", await Browser.Error(broken), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, wrongField.StatusCode);
        Assert.Contains("alow", await Browser.Error(wrongField), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
    }

    [Fact]
    public async Task Editor_adds_lists_and_deletes_a_join_token()
    {
        using var editor = await cluster.SignIn("web-editor");

        var created = await editor.Post("/v1/webapi/tokens", new { roles = new[] { "node" }, expires_in = 600 });
        await Browser.Ok(created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var listed = (await editor.GetJson("/v1/webapi/tokens"))["items"]!.AsArray();
        await Browser.Ok(await editor.Delete($"/v1/webapi/tokens/{id}"));

        Assert.Contains(listed, t => t!["id"]!.GetValue<string>() == id && string.Equals(t["roles"]![0]!.GetValue<string>(), "node", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain((await editor.GetJson("/v1/webapi/tokens"))["items"]!.AsArray(), t => t!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Editor_adds_lists_and_deletes_a_lock()
    {
        using var editor = await cluster.SignIn("web-editor");

        var created = await editor.Put(Locks, new { targets = new { login = "nobody-web" }, message = "maintenance", ttl = "1h" });
        await Browser.Ok(created);
        var name = (await created.Content.ReadFromJsonAsync<JsonObject>())!["name"]!.GetValue<string>();
        var listed = (await editor.GetJson(Locks)).AsArray();
        var badTtl = await editor.Put(Locks, new { targets = new { user = "x" }, ttl = "soon" });
        await Browser.Ok(await editor.Delete($"{Locks}/{name}"));

        var mine = listed.Single(l => l!["name"]!.GetValue<string>() == name)!;
        Assert.Equal("maintenance", mine["message"]!.GetValue<string>());
        Assert.Equal("login", mine["targets"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badTtl.StatusCode);
        Assert.DoesNotContain((await editor.GetJson(Locks)).AsArray(), l => l!["name"]!.GetValue<string>() == name);
    }

    [Theory]
    [InlineData("GET", "/v1/webapi/users")]
    [InlineData("POST", "/v1/webapi/users")]
    [InlineData("DELETE", "/v1/webapi/users/web-editor")]
    [InlineData("POST", "/v1/webapi/users/password/token")]
    [InlineData("GET", "/v1/webapi/roles")]
    [InlineData("POST", "/v1/webapi/roles")]
    [InlineData("DELETE", "/v1/webapi/roles/editor")]
    [InlineData("GET", "/v1/webapi/tokens")]
    [InlineData("POST", "/v1/webapi/tokens")]
    [InlineData("GET", Locks)]
    [InlineData("PUT", Locks)]
    [InlineData("GET", $"/v1/webapi/sites/{WebUiCluster.Site}/events/search?include=user.login")]
    public async Task Non_editor_gets_a_403_from_every_editor_call(string method, string path)
    {
        using var user = await cluster.SignIn("web-user");

        var response = await user.Send(new HttpMethod(method), path, method is "POST" or "PUT" ? new { name = "x", roles = new[] { "node" }, content = "x" } : null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("access denied", await Browser.Error(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_changes_their_password_with_the_old_one_and_not_without_it()
    {
        await cluster.AddUser("web-changer", "access");
        using var browser = await cluster.SignIn("web-changer");

        var wrongOld = await browser.Put("/v1/webapi/users/password", new { old_password = "not it", new_password = "the new password 1" });
        var changed = await browser.Put("/v1/webapi/users/password", new { old_password = WebUiCluster.Password, new_password = "the new password 1" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongOld.StatusCode);
        await Browser.Ok(changed);
        using var fresh = new Browser(cluster.Server.Proxy!.WebPort);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.SignIn("web-changer", WebUiCluster.Password)).StatusCode);
        await Browser.Ok(await fresh.SignIn("web-changer", "the new password 1"));
    }

    [Fact]
    public async Task User_enrols_a_new_totp_secret_with_a_code_from_it()
    {
        await cluster.AddUser("web-totp", "access");
        using var browser = await cluster.SignIn("web-totp");

        var begin = await browser.Post("/v1/webapi/mfa/totp/begin", new { });
        await Browser.Ok(begin);
        var started = (await begin.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = started["secret"]!.GetValue<string>();
        var wrongCode = await browser.Put("/v1/webapi/mfa/totp", new { password = WebUiCluster.Password, secret, code = "000000" });
        var enrolled = await browser.Put("/v1/webapi/mfa/totp", new { password = WebUiCluster.Password, secret, code = GatewayFixture.Code(secret, DateTime.UtcNow) });

        Assert.StartsWith("otpauth://totp/", started["uri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(started["qrCode"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
        await Browser.Ok(enrolled);
    }
}
