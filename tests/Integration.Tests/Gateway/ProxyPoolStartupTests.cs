using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>How a proxy-only process starts: with the auth service down, and with a token it may not use.</summary>
public sealed class ProxyPoolStartupTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Proxy_restarted_while_the_auth_service_is_down_becomes_ready_once_it_is_back()
    {
        var storage = await ProxyPoolTests.PostgresStorage(postgres);
        await using var auth = await TeleportServer.StartAsync(storage);
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=restart-proxy-token")).EnsureSuccess();
        await using var proxy = ProxyOnlyProcess.Start(auth.AuthPort, "restart-proxy-token");
        await proxy.WaitReady();

        await auth.StopAsync();
        // The data dir keeps the joined identity, so the restarted proxy only has to reach the auth pool as a client.
        await proxy.RestartAsync();
        await Eventually.Until(() => proxy.Output.Contains("not reachable yet", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the proxy to report the auth service unreachable");
        Assert.False(proxy.Ready.IsCompleted);

        await auth.RestartAsync();
        await proxy.WaitReady();
        using var web = WebClient.For(proxy.Ports.WebPort, out _);
        var ping = await web.GetFromJsonAsync<JsonObject>("/webapi/ping");

        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Running_proxy_serves_again_after_the_auth_service_restarts()
    {
        var storage = await ProxyPoolTests.PostgresStorage(postgres);
        await using var auth = await TeleportServer.StartAsync(storage);
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=survive-proxy-token")).EnsureSuccess();
        await using var proxy = ProxyOnlyProcess.Start(auth.AuthPort, "survive-proxy-token");
        await proxy.WaitReady();

        await auth.StopAsync();
        await auth.RestartAsync();
        using var web = WebClient.For(proxy.Ports.WebPort, out _);

        // Ping reads the cluster name from a grain: it answers again once the client has found the new silo.
        await Eventually.Until(async () =>
        {
            using var response = await web.GetAsync("/webapi/ping");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), "ping on the proxy to succeed after the auth service restarted");
        Assert.False(proxy.Exited.IsCompleted);
    }

    [Fact]
    public async Task Unknown_proxy_token_stops_the_start_with_a_clear_error()
    {
        var storage = await ProxyPoolTests.PostgresStorage(postgres);
        await using var auth = await TeleportServer.StartAsync(storage);

        await using var proxy = ProxyOnlyProcess.Start(auth.AuthPort, "no-such-token");
        var exitCode = await proxy.Exited.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("ERROR: the proxy could not join the cluster: the auth server at 127.0.0.1:", proxy.Output, StringComparison.Ordinal);
        Assert.Contains("refused the join token", proxy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Used_proxy_token_is_refused_for_a_second_proxy()
    {
        var storage = await ProxyPoolTests.PostgresStorage(postgres);
        await using var auth = await TeleportServer.StartAsync(storage);
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=once-proxy-token")).EnsureSuccess();
        await using var first = ProxyOnlyProcess.Start(auth.AuthPort, "once-proxy-token");
        await first.WaitReady();

        await using var second = ProxyOnlyProcess.Start(auth.AuthPort, "once-proxy-token", "proxy-2");
        var exitCode = await second.Exited.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("refused the join token", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_section_in_a_proxy_file_is_ignored_with_a_warning()
    {
        const string storage = """
              storage:
                type: postgresql
                conn_string: postgresql://nobody@127.0.0.1:1/none
            """;
        await using var proxy = ProxyOnlyProcess.Start(FreePorts.Take(1)[0], "any-token", storage: storage);

        await Eventually.Until(() => proxy.Output.Contains("WARNING: teleport.storage is ignored by a proxy", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the storage warning");

        Assert.DoesNotContain("ERROR", proxy.Output, StringComparison.Ordinal);
    }
}
