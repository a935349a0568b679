using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Teleport.Orleans.Agent.Apps;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Diagnostics;
using Teleport.Orleans.Silo.Diagnostics;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// teleport.diag_addr for the processes without a silo (the silo serves its own): /healthz, /readyz and /metrics for
/// the proxy-only, the node-only and the app-only process.
/// </summary>
internal static class DiagnosticsStartup
{
    /// <summary>Where a process without a silo serves diagnostics; null when diag_addr is not set.</summary>
    public static IPEndPoint? Endpoint(TeleportConfig config) =>
        config.Teleport.DiagAddr is { } address ? ListenEndpoint.Resolve(address, "teleport.diag_addr", IPAddress.Loopback) : null;

    /// <summary>
    /// Adds the listener and the metrics exporter; <paramref name="node"/> adds the node's readiness check,
    /// <paramref name="appService"/> the readiness check of an app service on its own host.
    /// </summary>
    public static void Add(WebApplicationBuilder builder, IPEndPoint endpoint, string serviceName, bool node, bool appService = false)
    {
        builder.AddDiagnosticsListener(endpoint);
        builder.Services.AddTeleportMetrics(serviceName);
        if (node)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "node", services => new NodeReadinessCheck(services.GetRequiredService<NodeService>()), failureStatus: null, tags: [DiagnosticsListener.ReadyTag]));
        }

        if (appService)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "app_service",
                services => new AppServiceReadinessCheck(services.GetRequiredService<AppService>(), services.GetRequiredService<AppHeartbeat>()),
                failureStatus: null,
                tags: [DiagnosticsListener.ReadyTag]));
        }
    }

    public static void Map(WebApplication app, int port)
    {
        app.MapHealthEndpoints(port);
        app.MapTeleportMetrics(port);
    }

    /// <summary>Ready once the node has announced itself and, for a tunnel node, holds its tunnel.</summary>
    private sealed class NodeReadinessCheck(NodeService node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(
                node.Heartbeat is not { } heartbeat || !heartbeat.FirstAnnounced.IsCompletedSuccessfully
                    ? HealthCheckResult.Unhealthy("the node has not announced itself to the cluster yet")
                : node.Tunnel is { Connected.IsCompletedSuccessfully: false } ? HealthCheckResult.Unhealthy("the node has no reverse tunnel to a proxy yet")
                : HealthCheckResult.Healthy());
    }

    /// <summary>Ready while the app service's apps are announced and it holds its reverse tunnel to a proxy.</summary>
    private sealed class AppServiceReadinessCheck(AppService service, AppHeartbeat heartbeat) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(
                !heartbeat.Announced.IsCompletedSuccessfully ? HealthCheckResult.Unhealthy("the app service has not announced its apps to the cluster yet")
                : !service.HoldsTunnel ? HealthCheckResult.Unhealthy("the app service has no reverse tunnel to a proxy right now")
                : HealthCheckResult.Healthy());
    }
}
