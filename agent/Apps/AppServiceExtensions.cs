using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Agent.Apps;

/// <summary>Adds an app service on its own host (joined with an app token, behind a proxy's reverse tunnel) to a host.</summary>
public static class AppServiceExtensions
{
    public static IHostApplicationBuilder AddAppService(this IHostApplicationBuilder builder, AppServiceOptions options)
    {
        builder.Services.AddSingleton(sp => new AppService(options, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppService>());
        builder.Services.AddSingleton(sp => new AppHeartbeat(
            options.Apps,
            sp.GetRequiredService<AppService>().AnnounceAsync,
            IAppRegistryGrain.HeartbeatInterval,
            sp.GetRequiredService<ILogger<AppHeartbeat>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppHeartbeat>());
        return builder;
    }
}
