using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Commands;

/// <summary>
/// <c>teleport start --roles=node --token=... --auth-server=...</c> without a file: the flags shape the default
/// configuration as Teleport's do.
/// </summary>
internal static class StartFlags
{
    public static TeleportConfig Apply(TeleportConfig defaults, string? roles, string? token, string? authServer, string? nodeName)
    {
        if (roles is null && token is null && authServer is null && nodeName is null)
        {
            return defaults;
        }

        var services = (roles ?? "auth,node,proxy").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .ToHashSet();
        if (services.FirstOrDefault(r => r is not ("auth" or "node" or "proxy")) is { } unknown)
        {
            throw new ConfigurationException($"--roles: unknown role \"{unknown}\" (use auth, node, proxy)");
        }

        if (services.Contains("node") && !services.Contains("auth") && (token is null || authServer is null))
        {
            throw new ConfigurationException("--roles=node needs --token and --auth-server to join a cluster");
        }

        return new TeleportConfig
        {
            Teleport = new TeleportProcessConfig
            {
                NodeName = nodeName ?? defaults.Teleport.NodeName,
                DataDir = defaults.Teleport.DataDir,
                Storage = defaults.Teleport.Storage,
                AuthToken = token,
                AuthServer = authServer is null ? null : NetAddress.Parse(authServer, 3025),
            },
            AuthService = services.Contains("auth") ? defaults.AuthService : new AuthServiceConfig { Enabled = false },
            ProxyService = new ProxyServiceConfig { Enabled = services.Contains("proxy") },
            SshService = new SshServiceConfig { Enabled = services.Contains("node") },
        };
    }
}
