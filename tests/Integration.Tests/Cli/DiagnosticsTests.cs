using System.Net;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Cli;

/// <summary>The diagnostics address: Orleans dashboard, Prometheus metrics and health, on loopback only.</summary>
[Collection(ServerCollection.Name)]
public sealed class DiagnosticsTests(ServerFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string Base => $"http://127.0.0.1:{fixture.Server.DiagPort}";

    [Fact]
    public async Task Prometheus_endpoint_exports_orleans_metrics()
    {
        var metrics = await Http.GetStringAsync($"{Base}/metrics");

        Assert.Contains("# TYPE orleans_", metrics);
        Assert.Contains("service_name=\"teleport-auth\"", metrics);
    }

    [Fact]
    public async Task Dashboard_shows_the_silo_as_active()
    {
        var page = await Http.GetAsync($"{Base}/dashboard/");
        var counters = await Http.GetStringAsync($"{Base}/dashboard/DashboardCounters");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Active", counters);
    }

    [Fact]
    public async Task Ready_once_the_cluster_is_bootstrapped()
    {
        var ready = await Http.GetAsync($"{Base}/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Auth_api_is_not_served_on_the_diagnostics_port()
    {
        var response = await Http.PostAsync($"{Base}/teleport.auth.v1.AuthService/ListUsers", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
