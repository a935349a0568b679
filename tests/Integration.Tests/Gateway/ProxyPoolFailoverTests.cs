using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// A proxy without a storage section in front of a two-silo pool on PostgreSQL: it learned both silos' Orleans
/// gateways from the auth API, so when the auth server it joined through stops, it goes on serving through the
/// other one without a restart.
/// </summary>
public sealed class ProxyPoolFailoverTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Proxy_keeps_serving_logins_through_the_second_silo_when_the_first_stops() =>
        await FailsOverAsync(await ProxyPoolTests.PostgresStorage(postgres), "pg");

    [Fact]
    public async Task Proxy_on_an_etcd_pool_keeps_serving_through_the_second_silo_when_the_first_stops()
    {
        await using var etcd = new EtcdServer();
        await etcd.InitializeAsync();

        await FailsOverAsync($"""
              storage:
                type: etcd
                peers: [{etcd.ClientUrl}]
                prefix: /failover
            """, "etcd");
    }

    [Fact]
    public async Task Restarting_each_auth_server_once_the_other_reports_ready_loses_no_login_through_the_proxy()
    {
        var storage = await ProxyPoolTests.PostgresStorage(postgres);
        await using var first = await TeleportServer.StartAsync(storage);
        await using var second = await TeleportServer.StartAsync(storage);
        (await first.Tctl("tokens", "add", "--type=proxy", "--value=rolling-proxy-token")).EnsureSuccess();
        await using var proxy = ProxyOnlyProcess.Start(first.AuthPort, "rolling-proxy-token");
        await proxy.WaitReady();

        // As a rolling restart does: the next server stops as soon as the restarted one passes its readiness check.
        await first.StopAsync();
        await first.RestartAsync();
        var notReady = await WaitReadyAsync(first);
        await second.StopAsync();
        var after = await ProxyPoolTests.LoginThroughProxyAsync(first, proxy, "rolling-alice", "alice");

        Assert.Equal("rolling-alice", after.KeyId);
        Assert.Contains(notReady, reason => reason.Contains("for the proxies to learn of it", StringComparison.Ordinal));
    }

    /// <summary>Polls the auth server's /readyz until it passes; returns the reasons it gave while it did not.</summary>
    private static async Task<List<string>> WaitReadyAsync(TeleportServer auth)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{auth.DiagPort}") };
        var reasons = new List<string>();
        await Eventually.Until(
            async () =>
            {
                using var response = await http.GetAsync("/readyz");
                if (!response.IsSuccessStatusCode)
                {
                    reasons.Add(await response.Content.ReadAsStringAsync());
                }

                return response.IsSuccessStatusCode;
            },
            TimeSpan.FromSeconds(60),
            "the restarted auth server's /readyz");
        return reasons;
    }

    private static async Task FailsOverAsync(string storage, string name)
    {
        await using var first = await TeleportServer.StartAsync(storage);
        await using var second = await TeleportServer.StartAsync(storage);
        (await first.Tctl("tokens", "add", "--type=proxy", "--value=failover-proxy-token")).EnsureSuccess();
        await using var proxy = ProxyOnlyProcess.Start(first.AuthPort, "failover-proxy-token");
        await proxy.WaitReady();
        var before = await ProxyPoolTests.LoginThroughProxyAsync(second, proxy, $"{name}-alice", "alice");

        await first.StopAsync();
        using var web = WebClient.For(proxy.Ports.WebPort, out _);
        await Eventually.Until(
            async () =>
            {
                var response = await web.GetAsync("/webapi/ping");
                return response.IsSuccessStatusCode;
            },
            TimeSpan.FromSeconds(60),
            "ping through the proxy after the first silo stopped");
        var after = await ProxyPoolTests.LoginThroughProxyAsync(second, proxy, $"{name}-bob", "bob");
        var ping = await web.GetFromJsonAsync<JsonObject>("/webapi/ping");

        Assert.Equal($"{name}-alice", before.KeyId);
        Assert.Equal($"{name}-bob", after.KeyId);
        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
        Assert.DoesNotContain("WARNING: teleport.storage", proxy.Output, StringComparison.Ordinal);
    }
}
