using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Apps;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Adds app_service to a process that runs the auth service: its apps are announced to the registry grain directly,
/// and the proxy in the same process reaches them at their uri (see gateway/Apps/AppDialer).
/// </summary>
internal static class AppStartup
{
    public static void Add(IHostApplicationBuilder builder, TeleportConfig config)
    {
        var hostId = $"app-{config.Teleport.NodeName}";
        var apps = Map(config.AppService);
        builder.Services.AddSingleton(sp => new AppHeartbeat(
            apps,
            (announced, _) => sp.GetRequiredService<IGrainFactory>().GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey)
                .Heartbeat(hostId, announced, new Caller { Name = hostId, Roles = ["App"] }),
            IAppRegistryGrain.HeartbeatInterval,
            sp.GetRequiredService<ILogger<AppHeartbeat>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppHeartbeat>());
    }

    public static App[] Map(AppServiceConfig config) =>
    [
        .. config.Apps.Select(a => new App
        {
            Name = a.Name,
            Description = a.Description,
            Uri = a.Uri.OriginalString,
            PublicAddr = a.PublicAddr,
            Labels = new Dictionary<string, string>(a.Labels, StringComparer.Ordinal),
            InsecureSkipVerify = a.InsecureSkipVerify,
            Rewrite = new AppRewrite { Redirect = [.. a.RewriteRedirect], Headers = [.. a.RewriteHeaders] },
        }),
    ];

    public static void Print(TextWriter output, IServiceProvider services)
    {
        var heartbeat = services.GetRequiredService<AppHeartbeat>();
        output.WriteLine("[APP]   App service is running.");
        foreach (var app in heartbeat.Apps)
        {
            output.WriteLine($"        {app.Name,-14} {app.Uri}");
        }

        output.WriteLine();
    }
}
