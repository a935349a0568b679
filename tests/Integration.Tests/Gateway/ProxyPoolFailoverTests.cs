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
