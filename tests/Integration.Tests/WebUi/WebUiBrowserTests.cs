using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Integration.Tests.WebUi;

/// <summary>The web UI in a real browser (Chromium) against a running cluster: what a user does, and its effect.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebUiBrowserTests(BrowserFixture fixture)
{
    private object Signed(object extra) => Merge(new { url = fixture.Url, cluster = fixture.Cluster, storageState = fixture.AdminState }, extra);

    [Fact]
    public async Task A_new_user_sets_a_password_from_the_invite_link_and_signs_in()
    {
        var user = "alice" + Guid.NewGuid().ToString("N")[..6];
        var token = await fixture.InviteAsync(user, "access", "root");

        var result = await BrowserScenario.RunAsync("invite", new { url = fixture.Url, inviteUrl = $"{fixture.Url}/web/invite/{token}", user, password = "alice's long password" });

        Assert.Contains("Invalid credentials", result["wrongPasswordMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(result["nodes"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task Servers_page_lists_the_node_with_its_labels_and_filters_by_a_label()
    {
        var result = await BrowserScenario.RunAsync("resources", Signed(new { hostname = "itest" }));

        Assert.Contains("env: itest", result["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("labels=env%3Ditest", result["url"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_typed_in_the_web_terminal_runs_on_the_node()
    {
        var marker = Path.Combine(Path.GetTempPath(), "webui-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The output (42) differs from the typed text, so seeing it proves the shell ran the line.
            var result = await BrowserScenario.RunAsync("terminal", Signed(new { hostname = "itest", login = "root", command = $"touch {marker}; echo webui-$((40+2))", expect = "webui-42" }));

            Assert.True(File.Exists(marker), "the command typed in the browser did not create its file on the node");
            Assert.Contains("Session ended", result["ended"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task The_recording_of_a_web_terminal_session_plays_in_the_browser()
    {
        var session = await BrowserScenario.RunAsync("terminal", Signed(new { hostname = "itest", login = "root", command = "echo played-$((6*7))", expect = "played-42" }));
        var sid = session["sid"]!.GetValue<string>();
        Assert.NotEmpty(sid);
        await WaitForRecordingAsync(sid);

        var result = await BrowserScenario.RunAsync("play", Signed(new { sid, expect = "played-42" }));

        var cells = result["cells"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Contains(BrowserFixture.Admin, cells);
        Assert.Contains("root", cells);
        Assert.StartsWith("00:00 /", result["clock"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_shows_the_editors_sign_in_with_its_details()
    {
        var result = await BrowserScenario.RunAsync("audit", Signed(new { type = "user.login", user = BrowserFixture.Admin }));

        Assert.True(result["rows"]!.GetValue<int>() >= 1);
        Assert.Equal(BrowserFixture.Admin, result["details"]!["user"]!.GetValue<string>());
        Assert.Equal("user.login", result["details"]!["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_editor_creates_a_role_after_seeing_why_an_invalid_one_was_refused()
    {
        var name = "auditor-" + Guid.NewGuid().ToString("N")[..8];
        var valid = $"kind: role\nversion: v7\nmetadata:\n  name: {name}\nspec:\n  allow:\n    logins: [auditor]\n    node_labels:\n      env: itest\n";
        var invalid = $"kind: role\nversion: v7\nmetadata:\n  name: {name}\nspec:\n  alow:\n    logins: [auditor]\n";

        var result = await BrowserScenario.RunAsync("role", Signed(new { name, valid, invalid }));

        Assert.NotEmpty(result["invalidMessage"]!.GetValue<string>());
        var stored = (await fixture.Server.Tctl("get", $"role/{name}")).EnsureSuccess().Stdout;
        Assert.Contains("auditor", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_launches_an_app_from_the_applications_page_and_sees_its_page()
    {
        var before = fixture.Echo.Requests;

        var result = await BrowserScenario.RunAsync("launch", Signed(new { app = "echo" }));

        Assert.StartsWith($"https://echo.itest:{fixture.Server.Proxy!.WebPort}/", result["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/", result["path"]!.GetValue<string>());
        Assert.Equal("jwt", result["user"]!.GetValue<string>());
        Assert.Contains("__Host-grv_app_session", result["cookies"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains("__Host-grv_app_session_subject", result["cookies"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(fixture.Echo.Requests > before);
    }

    [Fact]
    public async Task Every_other_page_renders_without_a_script_error()
    {
        var result = await BrowserScenario.RunAsync("tour", Signed(new { }));

        Assert.Equal(6, result["visited"]!.GetValue<int>());
    }

    private async Task WaitForRecordingAsync(string sid)
    {
        var client = fixture.Server.AdminClient(out var channel);
        using var _ = channel;
        await Eventually.Until(async () =>
        {
            var page = await client.ListRecordingsAsync(new ListRecordingsRequest
            {
                From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
                To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
                Limit = 100,
            });
            return page.SessionEndEvents.Any(e => e.Contains(sid, StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), $"the recording of session {sid} to be listed");
    }

    private static JsonObject Merge(object first, object second)
    {
        var merged = System.Text.Json.JsonSerializer.SerializeToNode(first)!.AsObject();
        foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(second)!.AsObject())
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }
}
