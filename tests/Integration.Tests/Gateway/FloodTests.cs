using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// The proxy's public ports under a flood of silent connections and garbage: a user still logs in over SSH and
/// the web API still answers while the flood holds its connections open.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FloodTests(GatewayFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("gateway-flood-keys-");
    private readonly List<TcpClient> _flood = [];

    [Fact]
    public async Task A_user_logs_in_and_the_web_api_answers_while_silent_connections_and_garbage_hold_every_port()
    {
        var proxy = fixture.Server.Proxy!;
        await fixture.Invite("flood-ivan");
        var key = await ProxyClient.SignUser(fixture.Server, "flood-ivan", _keys.FullName);
        foreach (var port in new[] { proxy.SshPort, proxy.WebPort, proxy.TunnelPort })
        {
            for (var i = 0; i < 300; i++)
            {
                _flood.Add(await ConnectAsync(port));
            }

            await SendGarbageAsync(port, 1024 * 1024);
        }

        await using var client = await ProxyClient.Connect(fixture.Server, key, proxy.SshPort);
        var ping = await fixture.Web.GetFromJsonAsync<JsonObject>("/webapi/ping");

        Assert.NotNull(client.HostKey.Certificate);
        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
    }

    public void Dispose()
    {
        foreach (var connection in _flood)
        {
            connection.Dispose();
        }

        _keys.Delete(recursive: true);
    }

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        return client;
    }

    /// <summary>Random bytes until the server closes the connection or all are sent.</summary>
    private static async Task SendGarbageAsync(int port, int size)
    {
        using var client = await ConnectAsync(port);
        var garbage = RandomNumberGenerator.GetBytes(size);
        try
        {
            await client.GetStream().WriteAsync(garbage).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            // Closed at the first malformed bytes (or left unread by a server that closed): what should happen.
        }
    }
}
