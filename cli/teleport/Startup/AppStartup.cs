using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Apps;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Adds app_service to a process: beside the auth service its apps are announced to the registry grain directly, and
/// the proxy in the same process reaches them at their uri (see gateway/Apps/AppDialer); on its own host it joins
/// with an app token through teleport.proxy_server and the proxies reach its apps through its reverse tunnel.
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

    /// <summary>An app service on its own host: joins through the proxy at teleport.proxy_server with teleport.auth_token.</summary>
    public static void AddJoined(IHostApplicationBuilder builder, TeleportConfig config, bool insecure)
    {
        var process = config.Teleport;
        var proxy = process.ProxyServer?.ToString()
            ?? throw new ConfigurationException("app_service on its own needs teleport.proxy_server: it joins and serves its apps through a proxy's reverse tunnel");
        var token = (!string.IsNullOrEmpty(process.AuthToken) ? process.AuthToken : process.JoinParams.TokenName) ?? "";
        token = token.StartsWith('/') && File.Exists(token) ? File.ReadAllText(token).Trim() : token;
        builder.AddAppService(new AppServiceOptions
        {
            DataDir = Path.GetFullPath(process.DataDir),
            NodeName = process.NodeName,
            ProxyServer = proxy,
            Apps = Map(config.AppService),
        }.WithJoin(token, process.CaPins, insecure));
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

    /// <summary>Once the apps are announced (and, on its own host, the tunnel is up), prints what the service serves.</summary>
    public static async Task PrintAsync(TextWriter output, IServiceProvider services, CancellationToken cancellationToken)
    {
        var heartbeat = services.GetRequiredService<AppHeartbeat>();
        if (services.GetService<AppService>() is { } joined)
        {
            await Task.WhenAll(heartbeat.Announced, joined.TunnelConnected).WaitAsync(cancellationToken);
            output.WriteLine($"[APP]   App service is running as host {joined.HostId} of cluster {joined.ClusterName}, through proxy {joined.Options.ProxyServer}.");
        }
        else
        {
            output.WriteLine("[APP]   App service is running.");
        }

        foreach (var app in heartbeat.Apps)
        {
            output.WriteLine($"        {app.Name,-14} {app.Uri}");
        }

        output.WriteLine();
    }
}
