using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Teleport.Orleans.Gateway.Diagnostics;

/// <summary>
/// The body of /healthz and /readyz: <c>{"status":"ok"}</c>, or the status with one sentence per failing check, so
/// an operator reading a load balancer's log sees why a process is out of rotation. The status code (200 or 503)
/// comes from the health-check middleware.
/// </summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status == HealthStatus.Healthy ? "ok" : report.Status.ToString().ToLowerInvariant(),
        };
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString());
        if (failing.Count > 0)
        {
            body["checks"] = failing;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
