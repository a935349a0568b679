using Microsoft.Extensions.DependencyInjection;
using Teleport.Orleans.Agent.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>The <c>[NODE]</c> block a started node prints (teleport start and teleport-node share it).</summary>
internal static class NodeBanner
{
    public static void Print(TextWriter output, IServiceProvider services)
    {
        var node = services.GetRequiredService<NodeService>();
        output.WriteLine("[NODE]  SSH service is running.");
        output.WriteLine($"        Host:          {node.Options.NodeName} ({node.Identity.HostId})");
        output.WriteLine($"        Cluster:       {node.Identity.ClusterName}");
        output.WriteLine($"        Listening on:  {services.GetRequiredService<NodeSshListener>().ListenEndpoint}");
        output.WriteLine();
    }
}
