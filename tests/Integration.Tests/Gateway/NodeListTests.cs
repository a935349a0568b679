using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Text.Json.Nodes;
using Teleport.Orleans.AuthClient;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>The node listing tsh ls uses, on the cluster with an agent node and an agentless node.</summary>
public sealed class NodeListTests(OpenSshJumpTests.Cluster cluster) : IClassFixture<OpenSshJumpTests.Cluster>
{
    [Fact]
    public async Task Listing_pages_through_the_nodes_the_users_roles_can_reach()
    {
        using var web = await ClientAs("jumper");

        var first = await web.GetFromJsonAsync<JsonObject>("/v1/webapi/sites/itest.example.com/resources?kinds=node&limit=1");
        var startKey = first!["startKey"]!.GetValue<string>();
        var second = await web.GetFromJsonAsync<JsonObject>($"/v1/webapi/sites/itest.example.com/resources?kinds=node&limit=1&startKey={Uri.EscapeDataString(startKey)}");

        Assert.Equal(2, first["totalCount"]!.GetValue<int>());
        Assert.Equal("agentless-1", first["items"]![0]!["hostname"]!.GetValue<string>());
        Assert.Equal("openssh", first["items"]![0]!["subKind"]!.GetValue<string>());
        Assert.Contains(first["items"]![0]!["labels"]!.AsArray(), l => l!["name"]!.GetValue<string>() == "env" && l["value"]!.GetValue<string>() == "itest");
        Assert.Equal("itest", second!["items"]![0]!["hostname"]!.GetValue<string>());
        Assert.Equal("", second["startKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_filters_by_hostname_or_label()
    {
        using var web = await ClientAs("jumper");

        var found = await web.GetFromJsonAsync<JsonObject>("/v1/webapi/sites/itest.example.com/nodes?query=agentless");

        Assert.Single(found!["items"]!.AsArray());
    }

    [Fact]
    public async Task User_whose_roles_reach_no_node_sees_none()
    {
        using var web = await ClientAs("no-logins");

        var found = await web.GetFromJsonAsync<JsonObject>("/v1/webapi/sites/itest.example.com/resources?kind=node");

        Assert.Equal(0, found!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Listing_without_a_client_certificate_is_a_json_403()
    {
        using var web = WebClient.For(cluster.Server.Proxy!.WebPort, out _);

        var response = await web.GetAsync("/v1/webapi/sites/itest.example.com/resources?kind=node");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("client certificate", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> ClientAs(string user)
    {
        var path = Path.Combine(cluster.Directory, $"{user}-{Guid.NewGuid():N}.identity");
        (await cluster.Server.Tctl("auth", "sign", $"--user={user}", "--format=file", $"--out={path}", "--ttl=1h")).EnsureSuccess();
        var certificate = IdentityFile.Load(path).ClientCertificate();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{cluster.Server.Proxy!.WebPort}") };
    }
}
