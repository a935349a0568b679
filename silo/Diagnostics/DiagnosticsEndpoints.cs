using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Dashboard;

namespace Teleport.Orleans.Silo.Diagnostics;

internal static class DiagnosticsEndpoints
{
    /// <summary>
    /// Dashboard, Prometheus metrics and health checks, reachable only on the diagnostics port. /healthz runs no check
    /// (the process answers); /readyz runs every check tagged "ready", whoever registered it (the auth service here,
    /// the proxy in the all-in-one process).
    /// </summary>
    public static IEndpointRouteBuilder MapDiagnostics(this IEndpointRouteBuilder endpoints, int port)
    {
        var host = $"*:{port}";
        endpoints.MapOrleansDashboard("/dashboard").RequireHost(host);
        endpoints.MapTeleportMetrics(port);
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).RequireHost(host);
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(AuthReadinessCheck.ReadyTag), ResponseWriter = WriteAsync })
            .RequireHost(host);
        return endpoints;
    }

    /// <summary><c>{"status":"ok"}</c>, or the status with why each failing check fails.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString());
        object body = failing.Count == 0 ? new { status = "ok" } : new { status = report.Status.ToString().ToLowerInvariant(), checks = failing };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
