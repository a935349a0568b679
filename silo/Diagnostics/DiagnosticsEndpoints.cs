using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Dashboard;
using Teleport.Orleans.Silo.Bootstrap;

namespace Teleport.Orleans.Silo.Diagnostics;

internal static class DiagnosticsEndpoints
{
    /// <summary>Dashboard, Prometheus metrics and health checks, reachable only on the diagnostics port.</summary>
    public static IEndpointRouteBuilder MapDiagnostics(this IEndpointRouteBuilder endpoints, int port)
    {
        var host = $"*:{port}";
        endpoints.MapOrleansDashboard("/dashboard").RequireHost(host);
        endpoints.MapTeleportMetrics(port);
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).RequireHost(host);
        endpoints.MapGet("/readyz", (AuthBootstrapper bootstrapper) => bootstrapper.Ready.IsCompletedSuccessfully
            ? Results.Ok(new { status = "ok" })
            : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable)).RequireHost(host);
        return endpoints;
    }
}
