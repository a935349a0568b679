using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Teleport.Orleans.Silo.Diagnostics;

/// <summary>
/// Prometheus metrics for any teleport process (auth, proxy, node): the project's meters, whose instrument names
/// are Teleport's Prometheus names, next to Orleans' own and the .NET runtime's.
/// </summary>
public static class TeleportMetricsExtensions
{
    /// <summary>Every meter of this project: Teleport.Orleans.Auth, .Backends, .Proxy, .Node.</summary>
    public const string MeterPrefix = "Teleport.Orleans.*";

    public static IServiceCollection AddTeleportMetrics(this IServiceCollection services, string serviceName)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans")
                .AddMeter("System.Runtime")
                .AddMeter(MeterPrefix)
                .AddPrometheusExporter(prometheus =>
                {
                    // The names are written as Teleport spells them (teleport_audit_emit_events has no _total): add nothing.
                    prometheus.DisableTotalNameSuffixForCounters = true;
                    // The exporter's default reuses a scrape for 300 ms: a scrape just after a login would not show it.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                }));
        return services;
    }

    /// <summary>Maps <c>/metrics</c> on the diagnostics port only.</summary>
    public static IEndpointConventionBuilder MapTeleportMetrics(this IEndpointRouteBuilder endpoints, int port) =>
        endpoints.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{port}");
}
