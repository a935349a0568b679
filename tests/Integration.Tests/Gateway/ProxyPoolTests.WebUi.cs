using System.Net;
using Teleport.Orleans.Integration.Tests.Gateway.WebUi;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Tunnels;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// The web UI through a proxy running apart from the auth service, as the HA deployment runs it: sign-in, an editor,
/// renewal, sign-out everywhere and the web terminal all reach the auth service through the proxy's Orleans client,
/// which the auth service lets act only for a signed-in user.
/// </summary>
public sealed partial class ProxyPoolTests
{
    private static readonly TimeSpan TerminalTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Web_ui_user_signs_in_edits_roles_and_users_reads_the_audit_log_renews_and_signs_out_everywhere_through_the_proxy_only_process()
    {
        using var browser = await SignInThroughProxy("pool-web-editor", "editor,access");
        const string yaml = "kind: role\nversion: v7\nmetadata:\n  name: pool-web-made\nspec:\n  allow:\n    logins: [deploy]\n";

        var created = await browser.Post("/v1/webapi/roles", new { content = yaml });
        var userAdded = await browser.Post("/v1/webapi/users", new { name = "pool-web-added", roles = new[] { "access" } });
        var userUpdated = await browser.Put("/v1/webapi/users", new { name = "pool-web-added", roles = new[] { "access", "pool-web-made" } });
        var events = await browser.Get("/v1/webapi/sites/itest.example.com/events/search?include=role.created");
        var renewed = await browser.Post("/v1/webapi/sessions/web/renew", new { });
        var (oldCookie, oldBearer) = (browser.Cookie, browser.Bearer);
        await Browser.Ok(renewed);
        browser.Remember(renewed);
        var afterRenewal = await browser.Get("/v1/webapi/roles");
        var signedOut = await browser.Delete("/v1/webapi/sessions/web/all");
        var afterSignOut = await browser.Get("/v1/webapi/roles");
        (browser.Cookie, browser.Bearer) = (oldCookie, oldBearer);
        var withOldSession = await browser.Get("/v1/webapi/roles");

        await Browser.Ok(created);
        await Browser.Ok(userAdded);
        await Browser.Ok(userUpdated);
        await Browser.Ok(events);
        Assert.Contains("pool-web-made", await events.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("pool-web-made", (await pool.Auth.Tctl("get", "user/pool-web-added")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        await Browser.Ok(afterRenewal);
        await Browser.Ok(signedOut);
        Assert.Contains("pool-web-made", (await pool.Auth.Tctl("get", "role/pool-web-made")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOldSession.StatusCode);
    }

    [Fact]
    public async Task Web_ui_user_without_the_editor_role_is_refused_a_role_through_the_proxy_only_process()
    {
        using var browser = await SignInThroughProxy("pool-web-user", "access");
        const string yaml = "kind: role\nversion: v7\nmetadata:\n  name: pool-web-denied\nspec: {}\n";

        var refused = await browser.Post("/v1/webapi/roles", new { content = yaml });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotEqual(0, (await pool.Auth.Tctl("get", "role/pool-web-denied")).ExitCode);
    }

    [Fact]
    public async Task Web_terminal_through_the_proxy_only_process_runs_a_command_on_a_tunnelled_node()
    {
        var token = "pool-node-" + Guid.NewGuid().ToString("N");
        (await pool.Auth.Tctl("tokens", "add", "--type=node", "--ttl=1h", $"--value={token}")).EnsureSuccess();
        var config = await TunnelCluster.WriteNodeConfig(pool.Directory, "pool-web-node", token, pool.Proxy.Ports.WebPort);
        // The proxy's web certificate is self-signed: --insecure, as Teleport's nodes need for one.
        await using var node = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], NodeCluster.NodeReady);
        using var browser = await SignInThroughProxy("pool-web-terminal", "access");
        await Eventually.Until(
            async () => (await browser.GetJson("/v1/webapi/sites/itest.example.com/resources?kinds=node")).ToJsonString().Contains("pool-web-node", StringComparison.Ordinal),
            TerminalTimeout, "the tunnelled node in the proxy's node list");
        await using var terminal = await TerminalSocket.Connect(browser, new { server_id = "pool-web-node", login = Environment.UserName, term = new { w = 80, h = 24 } });

        await terminal.SendToken(browser.Bearer);
        var response = await terminal.ReadResponse();
        await terminal.Type("echo pool-web-$((6*7))\r");
        await terminal.ReadUntil(t => t.Output.Contains("pool-web-42", StringComparison.Ordinal), TerminalTimeout);

        Assert.Equal("ok", response["status"]!.GetValue<string>());
    }

    private async Task<Browser> SignInThroughProxy(string user, string roles)
    {
        var secret = await AddUserThroughProxyAsync(pool.Auth, pool.Proxy, user, roles, Environment.UserName);
        var browser = new Browser(pool.Proxy.Ports.WebPort);
        // The next time step: the step used to enrol is spent.
        var signIn = await browser.SignIn(user, UserPassword, GatewayFixture.Code(secret, DateTime.UtcNow.AddSeconds(30)));
        Assert.True(signIn.IsSuccessStatusCode, $"{(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync()}\n{pool.Proxy.Output}");
        return browser;
    }
}
