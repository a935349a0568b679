using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>
/// One all-in-one server (second factor off and a high login rate limit, so tests can sign in as often as they like) with a node named itest on
/// this host, an editor and a plain user, shared by the web UI API tests.
/// </summary>
public sealed partial class WebUiCluster : IAsyncLifetime
{
    public const string Site = "itest.example.com";
    public const string Password = "web ui test password";

    private readonly string _proxyExtra;

    public WebUiCluster()
        : this("")
    {
    }

    /// <summary>A cluster of its own for tests that need other proxy settings (<paramref name="proxyExtra"/>: proxy_service lines).</summary>
    internal WebUiCluster(string proxyExtra) => _proxyExtra = proxyExtra;

    internal TeleportServer Server { get; private set; } = null!;

    /// <summary>The OS login the node grants: the user running the tests (the node runs as that user).</summary>
    internal static string Login => Environment.UserName;

    public async Task InitializeAsync()
    {
        Server = await TeleportServer.StartWithProxyAsync(new ProxySettings
        {
            NodePort = FreePorts.Take(1)[0],
            SecondFactor = "off",
            // Every test signs in from 127.0.0.1: above the default web login limit (20 a minute, burst 40) per address.
            TeleportExtra = "  connection_limits:\n    rates:\n    - period: 1m\n      average: 1000\n      burst: 1000",
            Extra = _proxyExtra,
        });
        await Server.WaitForOutput("SSH service is running.");
        await AddUser("web-editor", "editor,access");
        await AddUser("web-user", "access");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Adds a user with tctl and sets their password through the invite link.</summary>
    internal async Task AddUser(string user, string roles, string password = Password)
    {
        var added = (await Server.Tctl("users", "add", user, $"--roles={roles}", $"--logins={Login}")).EnsureSuccess();
        await Redeem(InviteLink().Match(added.Stdout).Groups[1].Value, password);
    }

    internal async Task Redeem(string token, string password)
    {
        using var web = Anonymous();
        var redeemed = await web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token, password });
        redeemed.EnsureSuccessStatusCode();
    }

    /// <summary>A browser that has signed in as <paramref name="user"/>.</summary>
    internal async Task<Browser> SignIn(string user, string password = Password)
    {
        var browser = new Browser(Server.Proxy!.WebPort);
        var response = await browser.SignIn(user, password);
        response.EnsureSuccessStatusCode();
        return browser;
    }

    internal HttpClient Anonymous() => WebClient.For(Server.Proxy!.WebPort, out _);

    [GeneratedRegex("/web/invite/([0-9a-f]{32})")]
    private static partial Regex InviteLink();
}

[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<WebUiCluster>
{
    public const string Name = "web-ui";
}
