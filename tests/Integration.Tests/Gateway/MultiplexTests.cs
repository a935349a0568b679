using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>proxy_listener_mode: multiplex: HTTPS and SSH on the one web port, told apart by ALPN.</summary>
public sealed class MultiplexTests
{
    [Fact]
    public async Task Web_port_serves_https_with_the_web_app_and_ssh_by_alpn()
    {
        await using var server = await TeleportServer.StartWithProxyAsync(new ProxySettings { ListenerMode = "multiplex" });
        var keys = Directory.CreateTempSubdirectory("gateway-mux-");
        try
        {
            using var web = WebClient.For(server.Proxy!.WebPort, out _);
            var ping = await web.GetFromJsonAsync<JsonObject>("/webapi/ping");
            var app = await web.GetStringAsync("/web/login");
            (await server.Tctl("users", "add", "mux-user", "--roles=access", "--logins=root")).EnsureSuccess();
            var key = await ProxyClient.SignUser(server, "mux-user", keys.FullName);

            await using var client = await ProxyClient.Connect(server, key, server.Proxy.WebPort, alpn: "teleport-proxy-ssh");
            await using var session = await client.OpenSessionAsync();
            await session.StartSubsystemAsync("proxy:no-such-node:3022@itest.example.com");
            var stderr = await new StreamReader(session.StandardError, Encoding.UTF8).ReadToEndAsync();

            Assert.True(ping!["proxy"]!["tls_routing_enabled"]!.GetValue<bool>());
            Assert.Contains("/web/app/app.", app, StringComparison.Ordinal);
            Assert.Equal($"127.0.0.1:{server.Proxy.WebPort}", ping["proxy"]!["ssh"]!["listen_addr"]!.GetValue<string>());
            Assert.Contains("is not registered", stderr, StringComparison.Ordinal);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
