using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.TeleportNode.Startup;

/// <summary>What teleport-node runs: ssh_service alone, as a node-only <c>teleport start</c> without diag_addr.</summary>
internal static class NodeOnly
{
    /// <summary>Throws <see cref="ConfigurationException"/> for a file this program cannot run in full.</summary>
    public static void Check(TeleportConfig config)
    {
        var others = new[]
        {
            config.AuthService.Enabled ? "auth_service" : null,
            config.ProxyService.Enabled ? "proxy_service" : null,
            config.AppService.Enabled ? "app_service" : null,
        }.OfType<string>().ToArray();
        if (others.Length > 0)
        {
            throw new ConfigurationException(
                $"teleport-node runs ssh_service only, and this file enables {string.Join(" and ", others)}; run it with teleport start, or set {others[0]}.enabled: false.");
        }

        if (!config.SshService.Enabled)
        {
            throw new ConfigurationException("teleport-node runs ssh_service, and this file disables it; set ssh_service.enabled: true.");
        }

        if (config.Teleport.DiagAddr is not null)
        {
            throw new ConfigurationException(
                "teleport-node serves no diag_addr (/healthz, /readyz, /metrics need the web host); remove teleport.diag_addr, or run the node with teleport start.");
        }
    }
}
