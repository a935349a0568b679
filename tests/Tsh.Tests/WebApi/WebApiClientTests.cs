using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Cli.Tsh.WebApi;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.WebApi;

/// <summary>The node listing read as it arrives: a whole answer parses, a broken one is said plainly.</summary>
public sealed class WebApiClientTests
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Fact]
    public async Task A_listing_that_arrives_in_small_pieces_is_read_whole()
    {
        await using var proxy = await StartAsync(async context =>
        {
            // Written a few bytes at a time with flushes, so the client reads the JSON across many reads.
            var body = "{\"items\":[{\"name\":\"n1\",\"hostname\":\"web-1\",\"addr\":\"10.0.0.1:3022\",\"tunnel\":false,\"labels\":[{\"name\":\"env\",\"value\":\"prod\"}]}],\"startKey\":\"\"}";
            foreach (var piece in body.Chunk(7))
            {
                await context.Response.WriteAsync(new string(piece));
                await context.Response.Body.FlushAsync();
            }
        });
        using var client = new WebApiClient(ProxyAddress.Parse($"127.0.0.1:{proxy.Port}", 443), insecure: true);

        var nodes = await client.ListNodesAsync("example", NoLabels, CancellationToken.None);

        var node = Assert.Single(nodes);
        Assert.Equal("web-1", node.Hostname);
        Assert.Equal("prod", node.Labels["env"]);
    }

    [Fact]
    public async Task Labels_are_read_as_a_list_a_plain_object_or_the_web_uis_tags()
    {
        await using var proxy = await StartAsync(context => context.Response.WriteAsync("""
            {"items":[
              {"id":"u1","hostname":"web-1","addr":"10.0.0.1:3022","labels":[{"name":"env","value":"prod"},{"name":"rack","value":7},{"value":"no name"}],"sshLogins":["root"]},
              {"name":"u2","hostname":"web-2","tunnel":true,"labels":{"env":"dev","gpu":true}},
              {"id":"u3","hostname":"web-3","tags":[{"name":"team","value":"db"}],"labels":null}
            ],"startKey":"","totalCount":3}
            """));
        using var client = new WebApiClient(ProxyAddress.Parse($"127.0.0.1:{proxy.Port}", 443), insecure: true);

        var nodes = await client.ListNodesAsync("example", NoLabels, CancellationToken.None);

        Assert.Equal(["u1", "u2", "u3"], nodes.Select(n => n.Name));
        Assert.Equal(["env=prod", "rack=7"], nodes[0].Labels.Select(l => $"{l.Key}={l.Value}"));
        Assert.Equal(["env=dev", "gpu=true"], nodes[1].Labels.Select(l => $"{l.Key}={l.Value}"));
        Assert.True(nodes[1].Tunnel);
        Assert.Equal(["team=db"], nodes[2].Labels.Select(l => $"{l.Key}={l.Value}"));
    }

    [Fact]
    public async Task A_listing_in_another_shape_is_one_sentence()
    {
        await using var proxy = await StartAsync(context => context.Response.WriteAsync("""{"items":[{"hostname":"web-1","labels":"env=prod"}]}"""));
        using var client = new WebApiClient(ProxyAddress.Parse($"127.0.0.1:{proxy.Port}", 443), insecure: true);

        var error = await Assert.ThrowsAsync<TshException>(() => client.ListNodesAsync("example", NoLabels, CancellationToken.None));

        Assert.StartsWith("The proxy's answer is not the JSON tsh expects: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_breaks_off_mid_answer_gets_a_sentence_not_a_stack_trace()
    {
        await using var proxy = await StartAsync(async context =>
        {
            await context.Response.WriteAsync("{\"items\":[{\"name\":\"n1\",\"hostn");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using var client = new WebApiClient(ProxyAddress.Parse($"127.0.0.1:{proxy.Port}", 443), insecure: true);

        var error = await Assert.ThrowsAsync<TshException>(() => client.ListNodesAsync("example", NoLabels, CancellationToken.None));

        // Whether the reset overtakes the headers (the connection) or only the body (the answer) is the network's call;
        // either way one sentence that names the proxy.
        Assert.Matches($"^(Cannot reach the proxy at|The connection to the proxy at) 127\\.0\\.0\\.1:{proxy.Port}", error.Message);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_selector_is_sent_so_the_proxy_lists_only_matching_nodes()
    {
        var queries = new List<string>();
        await using var proxy = await StartAsync(context =>
        {
            queries.Add(context.Request.Query["labels"].ToString());
            return context.Response.WriteAsync("""{"items":[],"startKey":""}""");
        });
        using var client = new WebApiClient(ProxyAddress.Parse($"127.0.0.1:{proxy.Port}", 443), insecure: true);

        await client.ListNodesAsync("example", new Dictionary<string, string> { ["env"] = "prod", ["team"] = "db & ops" }, CancellationToken.None);
        await client.ListNodesAsync("example", new Dictionary<string, string> { ["env"] = "prod,dev" }, CancellationToken.None);
        await client.ListNodesAsync("example", NoLabels, CancellationToken.None);

        // A value the proxy's key=value,... form cannot carry is left to tsh's own check of each node.
        Assert.Equal(["env=prod,team=db & ops", "", ""], queries);
    }

    private static async Task<RunningProxy> StartAsync(RequestDelegate resources)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(StandInProxy.ServerCertificate())));
        var app = builder.Build();
        app.MapGet("/v1/webapi/sites/{site}/resources", resources);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningProxy(app, new Uri(address).Port);
    }

    private sealed record RunningProxy(WebApplication App, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
