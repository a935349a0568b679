using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
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
    private static readonly TimeSpan DeactivationTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddAuthShutdown(this IServiceCollection services, AuthServiceOptions options)
    {
        services.AddHealthChecks().AddCheck<AuthReadinessCheck>("auth", tags: [AuthReadinessCheck.ReadyTag]);
        // Replaces Orleans' own handler (registered by UseOrleans, before this).
        services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler, DeclaredDeadExit>());
        // A grain whose deactivation hangs (measured: every SIGTERM waited the whole 30 s for some, then left
        // non-gracefully, rejecting calls) is given up after a few seconds, so the leave completes and its calls move.
        services.Configure<GrainCollectionOptions>(collection => collection.DeactivationTimeout = DeactivationTimeout);
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
