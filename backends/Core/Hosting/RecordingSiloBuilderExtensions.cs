using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Teleport.Orleans.Backends.Core.Recordings;

namespace Teleport.Orleans.Backends.Core.Hosting;

public static class RecordingSiloBuilderExtensions
{
    /// <summary>Registers the session recording store and initializes it with the silo.</summary>
    public static ISiloBuilder AddRecordingStore(this ISiloBuilder builder, IRecordingStore store) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(store);
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new RecordingStoreLifecycle(store));
        });
}
