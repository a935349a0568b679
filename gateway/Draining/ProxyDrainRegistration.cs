using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Gateway.Diagnostics;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Draining;

/// <summary>Wires the drain into a host that runs the proxy: the drain itself, its readiness check, and enough shutdown time.</summary>
internal static class ProxyDrainRegistration
{
    /// <summary>What the host needs beyond the grace period: the silo's own graceful leave in the all-in-one process.</summary>
    private static readonly TimeSpan StopAfterGrace = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddProxyDrain(this IServiceCollection services)
    {
        services.AddSingleton<ProxyDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ProxyDrain>());
        services.AddHealthChecks().AddCheck<ProxyReadinessCheck>("proxy", tags: [DiagnosticsListener.ReadyTag]);
        services.AddOptions<HostOptions>().PostConfigure<GatewayOptions>((host, gateway) =>
        {
            var needed = gateway.DrainDelay + ProxyDrain.MaxExtension + gateway.ShutdownGracePeriod + StopAfterGrace;
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return services;
    }
}
