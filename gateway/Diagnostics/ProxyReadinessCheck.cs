using Microsoft.Extensions.Diagnostics.HealthChecks;
using Teleport.Orleans.Gateway.Draining;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Diagnostics;

/// <summary>
/// The proxy is ready once its listeners accept connections, and no longer from the moment it starts draining, so
/// the load balancer takes it out of rotation before its sessions end.
/// </summary>
internal sealed class ProxyReadinessCheck(IServiceProvider services, ProxyDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(
            drain.IsDraining ? HealthCheckResult.Unhealthy("the proxy is shutting down and lets its open sessions finish")
            : !services.ListenersStarted() ? HealthCheckResult.Unhealthy("the proxy is starting: it has no identity or listener yet")
            : HealthCheckResult.Healthy());
}
