using System.Net;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Maps proxy_service onto the gateway's options.</summary>
internal static class ProxyServiceStartup
{
    /// <summary>The gateway's options, or null when proxy_service is disabled.</summary>
    public static GatewayOptions? Map(TeleportConfig config)
    {
        var proxy = config.ProxyService;
        if (!proxy.Enabled)
        {
            return null;
        }

        var multiplex = config.AuthService.ProxyListenerMode == ProxyListenerMode.Multiplex;
        var nodeName = config.Teleport.NodeName;
        var web = proxy.PublicAddrs.Count > 0 ? proxy.PublicAddrs[0].ToString() : Advertised(proxy.WebListenAddr, nodeName);
        var webHost = proxy.PublicAddrs.Count > 0 ? proxy.PublicAddrs[0].Host : nodeName;
        var peerListen = PeerListen(config);
        return new GatewayOptions
        {
            WebListenEndpoint = ListenEndpoint.Resolve(proxy.WebListenAddr, "proxy_service.web_listen_addr", IPAddress.Any),
            SshListenEndpoint = multiplex && !proxy.ListenAddrIsSet ? null : ListenEndpoint.Resolve(proxy.ListenAddr, "proxy_service.listen_addr", IPAddress.Any),
            NodeName = nodeName,
            PublicAddr = web,
            SshPublicAddr = proxy.SshPublicAddrs.Count > 0 ? proxy.SshPublicAddrs[0].ToString()
                : multiplex ? web : new NetAddress(webHost, proxy.ListenAddr.Port).ToString(),
            TunnelPublicAddr = proxy.TunnelPublicAddrs.Count > 0 ? proxy.TunnelPublicAddrs[0].ToString()
                : multiplex ? web : new NetAddress(webHost, proxy.TunnelListenAddr.Port).ToString(),
            HttpsKeyPairs = [.. proxy.HttpsKeyPairs.Select(p => new HttpsKeyPair(Path.GetFullPath(p.KeyFile), Path.GetFullPath(p.CertFile)))],
            DataDir = Path.GetFullPath(config.Teleport.DataDir),
            HostNames = [.. proxy.PublicAddrs.Select(a => a.Host).Append(nodeName).Append(proxy.WebListenAddr.Host).Where(h => h.Length > 0 && h != "0.0.0.0" && h != "::").Distinct()],
            TunnelListenEndpoint = multiplex ? null : ListenEndpoint.Resolve(proxy.TunnelListenAddr, "proxy_service.tunnel_listen_addr", IPAddress.Any),
            AuthServer = config.AuthService.Enabled ? Dialable(config.AuthService.ListenAddr)
                : (config.Teleport.AuthServer ?? config.Teleport.AuthServers.FirstOrDefault())?.ToString() ?? "",
            Multiplex = multiplex,
            PeerListenEndpoint = peerListen is null ? null : ListenEndpoint.Resolve(peerListen, "proxy_service.peer_listen_addr", IPAddress.Any),
            PeerPublicAddr = peerListen is null ? "" : (proxy.PeerPublicAddr ?? PeerAdvertised(peerListen)).ToString(),
            MaxConnectionsPerAddress = config.Teleport.ConnectionLimits.MaxConnections,
            MaxUsers = config.Teleport.ConnectionLimits.MaxUsers,
            LoginRateLimit = LoginRate(config.Teleport.ConnectionLimits),
            SshMaxStartups = proxy.SshMaxStartups,
            SshMaxStartupsPerAddress = proxy.SshMaxStartupsPerAddress,
            ShutdownGracePeriod = proxy.ShutdownGracePeriod,
            DrainDelay = proxy.DrainDelay,
            WebIdleTimeout = proxy.WebIdleTimeout,
            Acme = proxy.Acme.Enabled
                ? new Gateway.Acme.AcmeOptions
                {
                    DirectoryUri = proxy.Acme.Uri is { } uri ? new Uri(uri) : Gateway.Acme.AcmeOptions.LetsEncrypt,
                    Email = proxy.Acme.Email,
                    Names = [.. proxy.PublicAddrs.Select(a => a.Host.ToLowerInvariant()).Distinct()],
                }
                : null,
        };
    }

    /// <summary>connection_limits.rates (Teleport's): the first rate limits the unauthenticated login endpoints per address and per user.</summary>
    private static LoginRateLimit LoginRate(ConnectionLimitsConfig limits) =>
        limits.Rates.FirstOrDefault() is { } rate
            ? new LoginRateLimit(PerMinute: Math.Max(1, (int)Math.Ceiling(rate.Average * 60 / rate.Period.TotalSeconds)), Burst: rate.Burst)
            : new LoginRateLimit();

    /// <summary>
    /// peer_listen_addr, or 0.0.0.0:3021 wherever proxies can run as a pool: a proxy-only process (a pool member), or
    /// an auth process on a shared backend. Only an all-in-one process on SQLite is alone by construction.
    /// </summary>
    private static NetAddress? PeerListen(TeleportConfig config) =>
        config.ProxyService.PeerListenAddr
        ?? (config.AuthService.Enabled && config.Teleport.Storage.Type == StorageType.Sqlite ? null : new NetAddress("0.0.0.0", TeleportDefaults.ProxyPeerPort));

    /// <summary>A wildcard listen address is advertised with this host's first non-loopback IPv4 address.</summary>
    private static NetAddress PeerAdvertised(NetAddress listen)
    {
        if (listen.Host is not ("" or "0.0.0.0" or "::" or "[::]"))
        {
            return listen;
        }

        var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return new NetAddress(address?.ToString() ?? "127.0.0.1", listen.Port);
    }

    private static string Advertised(NetAddress listen, string nodeName) =>
        listen.Host is "" or "0.0.0.0" or "::" or "[::]" ? new NetAddress(nodeName, listen.Port).ToString() : listen.ToString();

    /// <summary>The auth API of this process as the gateway dials it: a wildcard listen address is reached on loopback.</summary>
    private static string Dialable(NetAddress listen) =>
        listen.Host is "" or "0.0.0.0" or "::" or "[::]" ? new NetAddress("127.0.0.1", listen.Port).ToString() : listen.ToString();
}
