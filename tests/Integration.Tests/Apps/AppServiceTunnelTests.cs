using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.Integration.Tests.Tsh;

namespace Teleport.Orleans.Integration.Tests.Apps;

/// <summary>
/// An app service in its own process, which knows only the proxy's web address: it joins with an app token, holds a
/// reverse tunnel to the proxy, and the proxy reaches its app only through that tunnel.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AppServiceTunnelTests(AppCluster cluster)
{
    private const string Ready = "[APP]   App service is running";

    [Fact]
    public async Task An_app_served_by_a_separate_app_service_is_reachable_through_its_tunnel_with_app_credentials_only()
    {
        await using var app = await EchoApp.StartAsync();
        using var directory = new TempDirectory("app-service-");
        var token = "app" + Guid.NewGuid().ToString("N");
        (await cluster.Tsh.Server.Tctl("tokens", "add", "--type=app", "--ttl=1h", $"--value={token}")).EnsureSuccess();
        var config = directory.Write("teleport.yaml", $"""
            version: v3
            teleport:
              nodename: remote-apps
              data_dir: {directory.File("data")}
              auth_token: {token}
              proxy_server: 127.0.0.1:{cluster.WebPort}
            auth_service:
              enabled: false
            proxy_service:
              enabled: false
            ssh_service:
              enabled: false
            app_service:
              enabled: true
              apps:
              - name: remote
                uri: {app.Uri}
                labels:
                  env: test
            """);

        // The proxy's web certificate is self-signed: --insecure, as for a node joining through the proxy.
        await using var service = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], Ready);
        Assert.False(service.HasExited, service.Output);
        await service.WaitForOutput(app.Uri);

        using (var anonymous = cluster.Client())
        {
            // The service printed its app once announced; the proxy's app catalog learns it from the change feed a
            // moment later, and until then the name is unknown (404).
            var refused = HttpStatusCode.NotFound;
            await Eventually.Until(
                async () => (refused = (await anonymous.GetAsync(cluster.Url("remote", "/api"))).StatusCode) != HttpStatusCode.NotFound,
                TimeSpan.FromSeconds(30),
                "the proxy to know the app \"remote\"");
            Assert.Equal(HttpStatusCode.Unauthorized, refused);
        }

        Assert.Equal(0, app.Requests);
        var (certificate, login) = await cluster.AppsLogin(cluster.Tsh.Home, "remote");
        login.EnsureSuccess();
        using var client = cluster.Client(certificate);
        var response = await client.GetAsync(cluster.Url("remote", "/through-the-tunnel"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("/through-the-tunnel", seen["path"]!.GetValue<string>());

        // With the app service gone, the proxy does not dial the app itself, though it listens on the same host.
        await service.KillAsync();
        await Eventually.Until(
            async () => (await client.GetAsync(cluster.Url("remote", "/after"))).StatusCode != HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "the proxy to stop reaching the app once its app service's tunnel is gone");
    }

    [Fact]
    public async Task An_app_only_process_is_ready_only_while_its_apps_are_announced_and_its_tunnel_is_up()
    {
        await using var app = await EchoApp.StartAsync();
        using var directory = new TempDirectory("app-ready-");
        var token = "app" + Guid.NewGuid().ToString("N");
        (await cluster.Tsh.Server.Tctl("tokens", "add", "--type=app", "--ttl=1h", $"--value={token}")).EnsureSuccess();
        var diag = FreePorts.Take(1)[0];
        string Config(int proxyPort) => $"""
            version: v3
            teleport:
              nodename: ready-apps
              data_dir: {directory.File("data")}
              auth_token: {token}
              proxy_server: 127.0.0.1:{proxyPort}
              diag_addr: 127.0.0.1:{diag}
            auth_service:
              enabled: false
            proxy_service:
              enabled: false
            ssh_service:
              enabled: false
            app_service:
              enabled: true
              apps:
              - name: ready
                uri: {app.Uri}
            """;
        var config = directory.Write("teleport.yaml", Config(cluster.WebPort));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var readyz = $"http://127.0.0.1:{diag}/readyz";

        await using (var service = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], Ready))
        {
            Assert.False(service.HasExited, service.Output);
            var ready = await http.GetAsync(readyz);
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }

        // Joined already, the same app service pointed at an address where no proxy listens starts, but can neither
        // announce its apps nor hold a tunnel: a load balancer must not count it.
        directory.Write("teleport.yaml", Config(FreePorts.Take(1)[0]));
        await using var cut = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], "App service is host");
        Assert.False(cut.HasExited, cut.Output);
        HttpResponseMessage? answer = null;
        await Eventually.Until(async () =>
        {
            try
            {
                answer = await http.GetAsync(readyz);
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the diagnostics listener to answer");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer!.StatusCode);
        Assert.Contains("has not announced its apps", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_service_without_a_token_stops_with_one_clear_sentence()
    {
        using var directory = new TempDirectory("app-service-");
        var config = directory.Write("teleport.yaml", $"""
            version: v3
            teleport:
              nodename: tokenless-apps
              data_dir: {directory.File("data")}
              proxy_server: 127.0.0.1:{cluster.WebPort}
            auth_service:
              enabled: false
            proxy_service:
              enabled: false
            ssh_service:
              enabled: false
            app_service:
              enabled: true
              apps:
              - name: tokenless
                uri: http://127.0.0.1:9
            """);

        await using var service = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], Ready);
        await Eventually.Until(() => service.HasExited, TimeSpan.FromSeconds(30), "the app service to exit");

        Assert.NotEqual(0, service.ExitCode);
        Assert.Contains("tctl tokens add --type=app", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", service.Output, StringComparison.Ordinal);
    }
}
