using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Teleport.Orleans.Silo.Diagnostics;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Silo.Membership;

/// <summary>
/// SIGTERM on an auth server: /readyz fails at once, the auth API stops accepting, and the silo leaves the
/// membership gracefully (Orleans tells the proxies' clients to stop sending to it, hands its grains over and marks
/// itself dead), within <see cref="AuthServiceOptions.ShutdownTimeout"/>. A supervisor's stop timeout must be longer.
/// A silo the pool declared dead exits at once (<see cref="DeclaredDeadExit"/>) for its supervisor to restart.
/// </summary>
internal static class AuthShutdown
{
    public static IServiceCollection AddAuthShutdown(this IServiceCollection services, AuthServiceOptions options)
    {
        services.AddSingleton(sp => new GatewayAnnouncement(
            sp.GetRequiredService<IClusterMembershipService>(), sp.GetRequiredService<ILocalSiloDetails>(), TimeProvider.System));
        services.AddHealthChecks().AddCheck<AuthReadinessCheck>("auth", tags: [AuthReadinessCheck.ReadyTag]);
        // Replaces Orleans' own handler (registered by UseOrleans, before this).
        services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler, DeclaredDeadExit>());
        services.AddOptions<HostOptions>().PostConfigure(host =>
        {
            if (host.ShutdownTimeout < options.ShutdownTimeout)
            {
                host.ShutdownTimeout = options.ShutdownTimeout;
            }
        });
        return services;
    }
}
