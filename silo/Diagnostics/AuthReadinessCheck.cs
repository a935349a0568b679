using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Silo.Bootstrap;

namespace Teleport.Orleans.Silo.Diagnostics;

/// <summary>
/// The auth service is ready once the cluster is bootstrapped, and not from the moment it begins to stop, so the
/// private load balancer sends new connections elsewhere while the silo leaves the membership.
/// </summary>
internal sealed class AuthReadinessCheck(AuthBootstrapper bootstrapper, IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <summary>Health checks with this tag decide /readyz (the same tag the proxy's and node's checks use).</summary>
    public const string ReadyTag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the auth service is shutting down")
            : !bootstrapper.Ready.IsCompletedSuccessfully ? HealthCheckResult.Unhealthy("the auth service is starting")
            : HealthCheckResult.Healthy());
}
