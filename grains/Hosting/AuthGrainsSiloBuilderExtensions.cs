using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Teleport.Orleans.Grains.Diagnostics;
using Teleport.Orleans.Grains.Nodes;

namespace Teleport.Orleans.Grains.Hosting;

public static class AuthGrainsSiloBuilderExtensions
{
    /// <summary>What the auth grains need beyond Orleans itself: a clock tests can replace, the node lease settings, the auth metrics.</summary>
    public static ISiloBuilder AddAuthGrains(this ISiloBuilder builder, Action<NodeLeaseOptions>? nodeLease = null) =>
        builder.ConfigureServices(services =>
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddMetrics();
            services.TryAddSingleton<AuthMetrics>();
            var lease = services.AddOptions<NodeLeaseOptions>();
            if (nodeLease is not null)
            {
                lease.Configure(nodeLease);
            }
        });

    /// <summary>A leaving silo refuses requests for grains it no longer runs instead of forwarding them (<see cref="LeavingSiloRefusal"/>).</summary>
    public static ISiloBuilder RefuseForwardsWhileLeaving(this ISiloBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LeavingSiloRefusal>());
}
