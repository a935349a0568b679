using System.Net;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// Each endpoint is served on its own listener, decided by the port a connection arrived on and not by the Host
/// header the client writes: behind a load balancer on 443 the header names no port, and a client on the public
/// web port must not reach the diagnostics or the auth API by naming their ports.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ListenerRoutingTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Web_api_answers_a_host_header_without_a_port_as_a_load_balancer_on_443_sends_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/webapi/ping");
        request.Headers.Host = "proxy.example.com";

        using var response = await fixture.Web.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Diagnostics_are_not_served_on_the_web_port_whatever_port_the_host_header_names()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = $"127.0.0.1:{fixture.Server.DiagPort}";

        using var response = await fixture.Web.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
