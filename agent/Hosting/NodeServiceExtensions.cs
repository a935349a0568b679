using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// Adds the node service (ssh_service) to a host: the same call composes a node-only process and the node of the
/// all-in-one process. Hosted services start in the order added and stop in reverse, which is the node's life cycle:
/// join and build, run the loops, listen; then stop listening, end the loops, close the auth client.
/// </summary>
internal static class NodeServiceExtensions
{
    public static IHostApplicationBuilder AddNodeService(this IHostApplicationBuilder builder, NodeServiceOptions options) =>
        builder.AddNodeService(_ => options);

    /// <summary>For options that need the host's services (the all-in-one node joins through the local grains).</summary>
    public static IHostApplicationBuilder AddNodeService(this IHostApplicationBuilder builder, Func<IServiceProvider, NodeServiceOptions> options)
    {
        builder.Services.AddSingleton<NodeServiceOptions>(options);
        builder.Services.AddSingleton<NodeService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeService>());
        AddLoop(builder, "access policy", (node, stopping) => node.Policy.WatchAsync(node.Auth, stopping));
        AddLoop(builder, "access monitor", (node, stopping) => node.Monitor.RunAsync(stopping));
        AddLoop(builder, "audit", (node, stopping) => node.Audit.RunAsync(stopping));
        AddLoop(builder, "recording upload", (node, stopping) => node.Uploader.RunAsync(stopping));
        AddLoop(builder, "identity renewal", (node, stopping) => node.Renewer.RunAsync(stopping));
        AddLoop(builder, "reverse tunnel", (node, stopping) => node.Tunnel?.RunAsync(stopping) ?? Task.CompletedTask);
        AddLoop(builder, "heartbeat", async (node, stopping) =>
        {
            await node.Commands.RunAllOnceAsync(stopping);
            await Task.WhenAll(node.Commands.RunAsync(stopping), node.Heartbeat.RunAsync(stopping));
        });
        builder.Services.AddSingleton<NodeSshListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeSshListener>());
        return builder;
    }

    private static void AddLoop(IHostApplicationBuilder builder, string name, Func<NodeService, CancellationToken, Task> run) =>
        builder.Services.AddSingleton<IHostedService>(sp =>
            new NodeLoop(name, sp.GetRequiredService<NodeService>(), run, sp.GetRequiredService<ILogger<NodeLoop>>()));
}
