using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Teleport.Orleans.Grains.Hosting;

public static class AuthGrainsSiloBuilderExtensions
{
    /// <summary>What the auth grains need beyond Orleans itself: a clock tests can replace.</summary>
    public static ISiloBuilder AddAuthGrains(this ISiloBuilder builder) =>
        builder.ConfigureServices(services => services.TryAddSingleton(TimeProvider.System));
}
