using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Teleport.Orleans.Backends.Core.Diagnostics;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.Core.Hosting;

public static class ClusterStateSiloBuilderExtensions
{
    /// <summary>Registers grain storage <paramref name="name"/> over the store the factory builds.</summary>
    public static ISiloBuilder AddClusterStateStorage(this ISiloBuilder builder, string name, Func<IServiceProvider, IClusterStateStore> storeFactory) =>
        builder.ConfigureServices(services =>
        {
            services.AddMetrics();
            services.TryAddSingleton<BackendRequestMetrics>();
            services.AddGrainStorage(name, (sp, n) => new ClusterStateGrainStorage(
                n,
                storeFactory(sp),
                sp.GetRequiredService<Serializer>(),
                sp.GetRequiredService<ILogger<ClusterStateGrainStorage>>(),
                sp.GetRequiredService<BackendRequestMetrics>()));
        });
}
