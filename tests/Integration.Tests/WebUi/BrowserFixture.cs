using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpNet;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.WebUi;

/// <summary>
/// One all-in-one cluster (auth, proxy, a node named <c>itest</c> labelled env=itest, and an app <c>echo</c> served at
/// <c>echo.itest</c>, which the browser resolves to loopback) for the browser tests, and
/// an editor, <c>webadmin</c> (roles access and editor, login root), signed in once in the browser: the scenarios
/// start from that saved browser state, as a returning user's tab would.
/// </summary>
public sealed partial class BrowserFixture : IAsyncLifetime
{
    public const string Admin = "webadmin";
    public const string AdminPassword = "a long web admin password";

    internal TeleportServer Server { get; private set; } = null!;

    internal Apps.EchoApp Echo { get; private set; } = null!;

    internal string Url => $"https://127.0.0.1:{Server.Proxy!.WebPort}";

    internal string Cluster => "itest.example.com";

    /// <summary>The browser state (session cookie and bearer token) of the signed-in editor.</summary>
    internal string AdminState { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Echo = await Apps.EchoApp.StartAsync();
        Server = await TeleportServer.StartWithProxyAsync(new ProxySettings
        {
            NodePort = FreePorts.Take(1)[0],
            AppServiceSection = $"app_service:\n  enabled: true\n  apps:\n  - name: echo\n    description: Echo app\n    uri: {Echo.Uri}\n    labels:\n      env: itest\n",
        });
        var token = await InviteAsync(Admin, "access,editor", "root");
        var secret = await RedeemAsync(token, AdminPassword);
        AdminState = Path.Combine(Server.Root, "admin-state.json");
        await BrowserScenario.RunAsync("signin", new { url = Url, user = Admin, password = AdminPassword, secret, saveState = AdminState });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Echo.DisposeAsync();
    }

    /// <summary>Adds a user with tctl and returns the invite token of the link it prints.</summary>
    internal async Task<string> InviteAsync(string user, string roles, string logins)
    {
        var added = (await Server.Tctl("users", "add", user, $"--roles={roles}", $"--logins={logins}")).EnsureSuccess();
        return InviteLink().Match(added.Stdout).Groups[1].Value;
    }

    /// <summary>Sets the password of an invite through the JSON API and returns the TOTP secret.</summary>
    private async Task<string> RedeemAsync(string token, string password)
    {
        using var web = Gateway.WebClient.For(Server.Proxy!.WebPort, out _);
        var details = await web.GetFromJsonAsync<JsonObject>($"/v1/webapi/users/password/token/{token}");
        var secret = SecretInUri().Match(details!["otp_uri"]!.GetValue<string>()).Groups[1].Value;
        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);
        (await web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token, password, second_factor_token = code })).EnsureSuccessStatusCode();
        return secret;
    }

    [GeneratedRegex("/web/invite/([0-9a-f]{32})")]
    private static partial Regex InviteLink();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex SecretInUri();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
