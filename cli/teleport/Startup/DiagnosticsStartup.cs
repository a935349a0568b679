using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Diagnostics;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>teleport.diag_addr for the processes without a silo: the proxy-only one and the node-only one.</summary>
internal static class DiagnosticsStartup
{
    /// <summary>Adds the listener to a proxy's host when diag_addr is set; the port to map on, or null.</summary>
    public static int? Add(WebApplicationBuilder builder, TeleportConfig config)
    {
        if (Endpoint(config) is not { } endpoint)
        {
            return null;
        }

        builder.AddDiagnosticsListener(endpoint);
        return endpoint.Port;
    }

    public static void Map(WebApplication app, int? port)
    {
        if (port is { } diagnostics)
        {
            app.MapHealthEndpoints(diagnostics);
        }
    }

    /// <summary>
    /// A node-only process has no web host: when diag_addr is set it gets a small one, ready once the node has
    /// announced itself and, for a tunnel node, holds its tunnel. Null when diag_addr is not set.
    /// </summary>
    public static async Task<WebApplication?> StartForNodeAsync(TeleportConfig config, NodeService node, Action<ILoggingBuilder> logging, CancellationToken cancellationToken)
    {
        if (Endpoint(config) is not { } endpoint)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        logging(builder.Logging);
        builder.AddDiagnosticsListener(endpoint);
        builder.Services.AddHealthChecks().AddCheck("node", () => NodeReadiness(node), tags: [DiagnosticsListener.ReadyTag]);
        var app = builder.Build();
        app.UseRouting();
        app.MapHealthEndpoints(endpoint.Port);
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static HealthCheckResult NodeReadiness(NodeService node) =>
        !node.Heartbeat.FirstAnnounced.IsCompletedSuccessfully ? HealthCheckResult.Unhealthy("the node has not announced itself to the cluster yet")
        : node.Tunnel is { Connected.IsCompletedSuccessfully: false } ? HealthCheckResult.Unhealthy("the node has no reverse tunnel to a proxy yet")
        : HealthCheckResult.Healthy();

    private static IPEndPoint? Endpoint(TeleportConfig config) =>
        config.Teleport.DiagAddr is not { } address ? null
        : IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, address.Port)
        : address.Host.Length == 0 ? new IPEndPoint(IPAddress.Loopback, address.Port)
        : new IPEndPoint(Dns.GetHostAddresses(address.Host).FirstOrDefault()
            ?? throw new ConfigurationException($"teleport.diag_addr: cannot resolve {address}"), address.Port);
}
