using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Reflection;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Presence;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Maps teleport.yaml (teleport + ssh_service) onto the node service's options.</summary>
internal static class NodeServiceOptionsMapper
{
    /// <param name="localAuthServer">The auth API of this process (all-in-one), used instead of auth_server.</param>
    /// <param name="insecure">teleport start --insecure: join through a proxy whose web certificate is not trusted here.</param>
    public static NodeServiceOptions Map(TeleportConfig config, string? localAuthServer, bool insecure = false)
    {
        var process = config.Teleport;
        var ssh = config.SshService;
        var authServer = localAuthServer
            ?? (process.AuthServer ?? process.AuthServers.FirstOrDefault())?.ToString()
            // Through a proxy the auth API is reached over the node's reverse tunnel, which replaces the connection.
            ?? process.ProxyServer?.ToString()
            ?? throw new ConfigurationException("ssh_service needs teleport.auth_server or teleport.proxy_server to join a cluster");
        var listen = ListenEndpoint.Resolve(ssh.ListenAddr, "ssh_service.listen_addr");
        var advertise = AdvertiseAddress(process.AdvertiseIp, ssh, listen);
        return new NodeServiceOptions
        {
            DataDir = Path.GetFullPath(process.DataDir),
            NodeName = process.NodeName,
            ListenEndpoint = listen,
            AdvertiseAddress = advertise,
            AuthServer = authServer,
            TunnelProxy = localAuthServer is null && process.AuthServer is null && process.AuthServers.Count == 0 ? process.ProxyServer?.ToString() : null,
            Join = string.IsNullOrEmpty(process.AuthToken) ? null : new JoinParameters
            {
                Token = ReadToken(process.AuthToken),
                AuthServer = (process.AuthServer ?? process.AuthServers.FirstOrDefault())?.ToString(),
                ProxyServer = process.ProxyServer?.ToString(),
                CaPins = process.CaPins,
                Insecure = insecure,
                AdditionalPrincipals = [.. new[] { advertise.Split(':')[0], process.NodeName }.Where(p => p.Length > 0).Distinct()],
            },
            Labels = ssh.Labels,
            CommandLabels = [.. ssh.Commands.Select(c => new CommandLabel(c.Name, c.Command, c.Period))],
            MaxConnectionsPerAddress = process.ConnectionLimits.MaxConnections,
            MaxUsers = process.ConnectionLimits.MaxUsers,
            Version = typeof(NodeServiceOptionsMapper).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
        };
    }

    /// <summary>auth_token may be the token or a path to a file holding it, as in Teleport.</summary>
    private static string ReadToken(string token) =>
        token.StartsWith('/') && File.Exists(token) ? File.ReadAllText(token).Trim() : token;

    private static string AdvertiseAddress(string? advertiseIp, SshServiceConfig ssh, IPEndPoint listen)
    {
        if (ssh.PublicAddrs.Count > 0)
        {
            return ssh.PublicAddrs[0].ToString();
        }

        if (!string.IsNullOrEmpty(advertiseIp))
        {
            return $"{advertiseIp}:{listen.Port}";
        }

        if (!listen.Address.Equals(IPAddress.Any) && !listen.Address.Equals(IPAddress.IPv6Any))
        {
            return listen.ToString();
        }

        return $"{FirstHostAddress()}:{listen.Port}";
    }

    /// <summary>The first up, non-loopback IPv4 address, as Teleport guesses its advertise IP; loopback when none.</summary>
    private static IPAddress FirstHostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
}
