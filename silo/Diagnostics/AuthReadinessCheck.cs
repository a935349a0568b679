using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Membership;

namespace Teleport.Orleans.Silo.Diagnostics;

/// <summary>
/// The auth service is ready once the cluster is bootstrapped, and not from the moment it begins to stop, so the
/// private load balancer sends new connections elsewhere while the silo leaves the membership. A server joining a pool
/// that already serves waits for the proxies to learn it first (<see cref="GatewayAnnouncement"/>).
/// </summary>
internal sealed class AuthReadinessCheck(AuthBootstrapper bootstrapper, GatewayAnnouncement announcement, IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <summary>Health checks with this tag decide /readyz (the same tag the proxy's and node's checks use).</summary>
    public const string ReadyTag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the auth service is shutting down")
            : !bootstrapper.Ready.IsCompletedSuccessfully ? HealthCheckResult.Unhealthy("the auth service is starting")
            : announcement.Remaining is { Ticks: > 0 } left ? HealthCheckResult.Unhealthy($"the auth service is waiting {left.TotalSeconds:0.0} s more for the proxies to learn of it")
            : HealthCheckResult.Healthy());
}
