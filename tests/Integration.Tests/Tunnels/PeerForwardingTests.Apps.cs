using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Apps;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Tsh;

namespace Teleport.Orleans.Integration.Tests.Tunnels;

/// <summary>
/// An app service whose one reverse tunnel lands on the first gateway: a user who reaches the second gateway (as a
/// load balancer would send them) gets the app through the first, exactly as an SSH session to a tunnel node does.
/// </summary>
public sealed partial class PeerForwardingTests
{
    [Fact]
    public async Task Tunnelled_app_is_reached_with_app_credentials_through_the_gateway_that_does_not_hold_its_tunnel()
    {
        await using var app = await EchoApp.StartAsync();
        using var directory = new TempDirectory("peer-app-");
        var token = "app" + Guid.NewGuid().ToString("N");
        (await cluster.Auth.Tctl("tokens", "add", "--type=app", "--ttl=1h", $"--value={token}")).EnsureSuccess();
        var config = directory.Write("teleport.yaml", $"""
            version: v3
            teleport:
              nodename: peered-apps
              data_dir: {directory.File("data")}
              auth_token: {token}
              proxy_server: 127.0.0.1:{cluster.First.Ports.WebPort}
            auth_service:
              enabled: false
            proxy_service:
              enabled: false
            ssh_service:
              enabled: false
            app_service:
              enabled: true
              apps:
              - name: peered
                uri: {app.Uri}
                public_addr: peered.apps.test
                labels:
                  env: test
            """);
        await using var service = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], "[APP]   App service is running");
        Assert.False(service.HasExited, service.Output);
        await service.WaitForOutput(app.Uri);
        var url = $"https://peered.apps.test:{cluster.Second.Ports.WebPort}/through-the-peer";

        // The second gateway reads the announced apps every few seconds; until then the name is not an app to it.
        using (var anonymous = new HttpClient(AppCluster.HandlerFor(cluster.Second.Ports.WebPort)))
        {
            await Eventually.Until(
                async () => (await anonymous.GetAsync(url)).StatusCode == HttpStatusCode.Unauthorized,
                Patience,
                "the second gateway to refuse the app without app credentials");
        }

        Assert.Equal(0, app.Requests);

        var home = new DirectoryInfo(directory.File("tsh"));
        home.Create();
        var (_, login) = await TshCluster.AddUserAndLoginAsync(cluster.Auth, cluster.Second.Ports.WebPort, "peer-app-user", "access", home);
        login.EnsureSuccess();
        var (certificate, appsLogin) = await AppCluster.TshAppsLogin(home, "peered");
        appsLogin.EnsureSuccess();
        using var client = new HttpClient(AppCluster.HandlerFor(cluster.Second.Ports.WebPort, certificate)) { Timeout = TimeSpan.FromSeconds(30) };

        var response = await client.GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}{cluster.Logs()}");
        Assert.Equal("/through-the-peer", (await response.Content.ReadFromJsonAsync<JsonObject>())!["path"]!.GetValue<string>());
        Assert.Equal(1, app.Requests);
    }
}
