using System.Net;
using System.Net.WebSockets;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>The web terminal over its WebSocket, against the real node on this host.</summary>
[Collection(WebUiCollection.Name)]
public sealed class WebTerminalTests(WebUiCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Command_typed_in_the_web_terminal_runs_on_the_node_and_the_session_is_audited_and_recorded()
    {
        using var temp = new TempDirectory("web-terminal-");
        var marker = Path.Combine(temp.Path, "made-by-web-terminal");
        using var browser = await cluster.SignIn("web-user");
        await using var terminal = await TerminalSocket.Connect(browser, new { server_id = "itest", login = WebUiCluster.Login, term = new { w = 80, h = 24 } });

        await terminal.SendToken(browser.Bearer);
        var response = await terminal.ReadResponse();
        await terminal.Type($"touch {marker} && echo web-$((6*7))-ok\r");
        await terminal.ReadUntil(t => t.Output.Contains("web-42-ok", StringComparison.Ordinal) && t.Session is not null, Timeout);
        await terminal.Resize(120, 40);
        await terminal.Type("stty size\r");
        await terminal.ReadUntil(t => t.Output.Contains("40 120", StringComparison.Ordinal), Timeout);
        await terminal.Type("exit 3\r");
        await terminal.ReadUntil(t => t.Ended is not null, Timeout);

        Assert.Equal("ok", response["status"]!.GetValue<string>());
        Assert.True(File.Exists(marker));
        Assert.Contains("exit status 3", terminal.Ended, StringComparison.Ordinal);
        var sessionId = terminal.Session!["session"]!["id"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(sessionId));
        Assert.Equal("itest", terminal.Session["session"]!["server_hostname"]!.GetValue<string>());
        using var editor = await cluster.SignIn("web-editor");
        await Eventually.Until(
            async () => (await editor.GetJson($"/v1/webapi/sites/{WebUiCluster.Site}/events/search?include=session.end")).ToJsonString().Contains(sessionId, StringComparison.Ordinal),
            Timeout, "the session's session.end event");
        var recording = await editor.Get($"/v1/webapi/sites/{WebUiCluster.Site}/sessions/{sessionId}/stream");
        await Browser.Ok(recording);
        Assert.Contains("web-42-ok", await recording.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_open_web_terminal_with_a_message_saying_so()
    {
        using var browser = await cluster.SignIn("web-user");
        await using var terminal = await Open(browser);

        await Browser.Ok(await browser.Delete("/v1/webapi/sessions/web"));
        await terminal.ReadUntil(t => t.Ended is not null, Timeout);

        Assert.Contains("signed out", terminal.Ended, StringComparison.Ordinal);
        Assert.Contains("sign in again", terminal.Ended, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_on_the_user_ends_the_open_web_terminal_with_the_locks_message()
    {
        await cluster.AddUser("web-terminal-locked", "access");
        using var browser = await cluster.SignIn("web-terminal-locked");
        using var editor = await cluster.SignIn("web-editor");
        await using var terminal = await Open(browser);

        var locked = await editor.Put($"/v1/webapi/sites/{WebUiCluster.Site}/locks", new { targets = new { user = "web-terminal-locked" }, message = "incident 9" });
        await Browser.Ok(locked);
        await terminal.ReadUntil(t => t.Ended is not null, Timeout);

        Assert.Contains("locked by", terminal.Ended, StringComparison.Ordinal);
        Assert.Contains("incident 9", terminal.Ended, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_web_terminal_reports_the_browser_and_node_latency_in_milliseconds()
    {
        using var browser = await cluster.SignIn("web-user");
        await using var terminal = await Open(browser);

        await terminal.ReadUntil(t => t.Latency is not null, Timeout);

        Assert.InRange(terminal.Latency!["ws"]!.GetValue<long>(), 0, 10_000);
        Assert.InRange(terminal.Latency["ssh"]!.GetValue<long>(), 0, 10_000);
    }

    /// <summary>A terminal on the node, its shell ready (its prompt or banner came).</summary>
    internal static async Task<TerminalSocket> Open(Browser browser)
    {
        var terminal = await TerminalSocket.Connect(browser, new { server_id = "itest", login = WebUiCluster.Login, term = new { w = 80, h = 24 } });
        await terminal.SendToken(browser.Bearer);
        var response = await terminal.ReadResponse();
        Assert.Equal("ok", response["status"]!.GetValue<string>());
        await terminal.Type("echo ready-$((6*7))\r");
        await terminal.ReadUntil(t => t.Output.Contains("ready-42", StringComparison.Ordinal), Timeout);
        return terminal;
    }

    [Fact]
    public async Task Terminal_with_a_wrong_token_is_refused_in_create_session_response()
    {
        using var browser = await cluster.SignIn("web-user");
        await using var terminal = await TerminalSocket.Connect(browser, new { server_id = "itest", login = WebUiCluster.Login, term = new { w = 80, h = 24 } });

        await terminal.SendToken("not-the-token");
        var response = await terminal.ReadResponse();

        Assert.Equal("error", response["status"]!.GetValue<string>());
        Assert.Contains("CSRF", response["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_for_a_login_the_users_roles_do_not_grant_says_access_denied()
    {
        using var browser = await cluster.SignIn("web-user");
        await using var terminal = await TerminalSocket.Connect(browser, new { server_id = "itest", login = "not-a-granted-login", term = new { w = 80, h = 24 } });

        await terminal.SendToken(browser.Bearer);
        var response = await terminal.ReadResponse();

        Assert.Equal("error", response["status"]!.GetValue<string>());
        Assert.Contains("access denied", response["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Terminal_opened_from_another_sites_page_is_refused_before_the_upgrade()
    {
        using var browser = await cluster.SignIn("web-user");

        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            TerminalSocket.Connect(browser, new { server_id = "itest", login = WebUiCluster.Login, term = new { w = 80, h = 24 } }, origin: "https://evil.example.com"));

        Assert.Contains(((int)HttpStatusCode.Forbidden).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }
}
