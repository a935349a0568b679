using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Cli;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// The proxy pool on the cloud backends: two auth processes on one DynamoDB table (dynalite), one Azure Storage
/// account (Azurite) or one Firestore collection (Google's emulator), and a proxy-only process with no storage
/// section that learns the silos from the auth API, so ping and a login through its web API reach the grains.
/// </summary>
public sealed class ProxyPoolCloudTests
{
    [Fact]
    public async Task Proxy_only_process_on_dynamodb_joins_and_serves_ping_and_login()
    {
        await using var dynalite = new DynaliteServer();
        await dynalite.InitializeAsync();

        await ProxyServesTheClusterAsync(CloudBackendTests.DynamoDbStorage(dynalite), "dynamo");
    }

    [Fact]
    public async Task Proxy_only_process_on_azure_storage_joins_and_serves_ping_and_login()
    {
        await using var azurite = new AzuriteServer();
        await azurite.InitializeAsync();

        await ProxyServesTheClusterAsync(CloudBackendTests.AzureStorage(azurite), "azure");
    }

    [Fact]
    public async Task Proxy_only_process_on_firestore_joins_and_serves_ping_and_login()
    {
        await ProxyServesTheClusterAsync(CloudBackendTests.FirestoreStorage(await FirestoreEmulator.SharedAsync()), "firestore");
    }

    private static async Task ProxyServesTheClusterAsync(string storage, string name)
    {
        await using var auth = await TeleportServer.StartAsync(storage);
        await using var second = await TeleportServer.StartAsync(storage);
        (await auth.Tctl("tokens", "add", "--type=proxy", $"--value={name}-proxy-token")).EnsureSuccess();
        await using var proxy = ProxyOnlyProcess.Start(auth.AuthPort, $"{name}-proxy-token");
        await proxy.WaitReady();
        using var web = WebClient.For(proxy.Ports.WebPort, out _);

        var ping = await web.GetFromJsonAsync<JsonObject>("/webapi/ping");
        var certificate = await ProxyPoolTests.LoginThroughProxyAsync(auth, proxy, $"{name}-alice", "alice");

        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
        Assert.Equal($"{name}-alice", certificate.KeyId);
        Assert.Contains("alice", certificate.Principals);
    }
}
