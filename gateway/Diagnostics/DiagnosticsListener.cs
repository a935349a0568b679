using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Teleport.Orleans.Gateway.Diagnostics;

/// <summary>
/// teleport.diag_addr for a process without a silo (proxy-only, node-only): a plain-HTTP listener with /healthz
/// (the process is alive: no check runs) and /readyz (every health check tagged <see cref="ReadyTag"/> passes). Code
/// that has a say in readiness registers an <c>IHealthCheck</c> with that tag; the endpoints need no edit.
/// </summary>
public static class DiagnosticsListener
{
    /// <summary>Health checks with this tag decide /readyz, the load balancer's check.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Listens on <paramref name="endpoint"/> (HTTP/1.1) and adds the health-check services.</summary>
    public static WebApplicationBuilder AddDiagnosticsListener(this WebApplicationBuilder builder, IPEndPoint endpoint)
    {
        builder.Services.AddHealthChecks();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1));
        return builder;
    }

    /// <summary>Maps /healthz and /readyz on the diagnostics port only.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, int port)
    {
        var host = $"*:{port}";
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync })
            .RequireHost(host);
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthResponse.WriteAsync })
            .RequireHost(host);
        return endpoints;
    }
}
