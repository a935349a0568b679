namespace Teleport.Orleans.Configuration;

/// <summary>proxy_service: the web UI/API, the SSH proxy and the reverse-tunnel listener.</summary>
public sealed class ProxyServiceConfig
{
    /// <summary>enabled: default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>listen_addr: SSH proxy. Default 0.0.0.0:3023.</summary>
    public NetAddress ListenAddr { get; init; } = new("0.0.0.0", TeleportDefaults.ProxySshPort);

    /// <summary>
    /// Whether listen_addr was written. Like Teleport's v2+ files, a multiplexing proxy opens the separate SSH port
    /// only when it is: otherwise SSH arrives on web_listen_addr by ALPN.
    /// </summary>
    public bool ListenAddrIsSet { get; init; }

    /// <summary>web_listen_addr: HTTPS web UI and API, and every protocol with TLS routing. Default 0.0.0.0:3080.</summary>
    public NetAddress WebListenAddr { get; init; } = new("0.0.0.0", TeleportDefaults.ProxyWebPort);

    /// <summary>tunnel_listen_addr: reverse tunnels from nodes. Default 0.0.0.0:3024.</summary>
    public NetAddress TunnelListenAddr { get; init; } = new("0.0.0.0", TeleportDefaults.ProxyTunnelPort);

    /// <summary>
    /// peer_listen_addr: where other proxies forward connections for the reverse tunnels this proxy holds (mutual
    /// TLS, port 3021). Null (not set): 0.0.0.0:3021 when the cluster state is shared (proxies can run as a pool), no
    /// listener on SQLite (a single proxy).
    /// </summary>
    public NetAddress? PeerListenAddr { get; init; }

    /// <summary>peer_public_addr: the address other proxies dial for peer_listen_addr. Default: the listen address, with this host's IP for a wildcard.</summary>
    public NetAddress? PeerPublicAddr { get; init; }

    /// <summary>public_addr: the HTTPS address users reach, e.g. the load balancer (default port 3080).</summary>
    public IReadOnlyList<NetAddress> PublicAddrs { get; init; } = [];

    /// <summary>ssh_public_addr: the public SSH proxy address (default port 3023).</summary>
    public IReadOnlyList<NetAddress> SshPublicAddrs { get; init; } = [];

    /// <summary>tunnel_public_addr: the public reverse-tunnel address (default port 3024).</summary>
    public IReadOnlyList<NetAddress> TunnelPublicAddrs { get; init; } = [];

    /// <summary>https_keypairs: TLS certificates for the web port; a self-signed one is generated when empty and ACME is off.</summary>
    public IReadOnlyList<KeyPairConfig> HttpsKeyPairs { get; init; } = [];

    /// <summary>https_keypairs_reload_interval: how often to re-read the key pairs; zero (default) means never.</summary>
    public TimeSpan HttpsKeyPairsReloadInterval { get; init; } = TimeSpan.Zero;

    public AcmeConfig Acme { get; init; } = new();

    /// <summary>proxy_protocol: "on" requires a PROXY protocol header, "off" rejects one; null (default) accepts either.</summary>
    public bool? ProxyProtocol { get; init; }

    /// <summary>shutdown_grace_period: on SIGTERM, how long open sessions may run on after the proxy stopped accepting. Default 30s.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>drain_delay: on SIGTERM, how long the proxy keeps accepting after failing /readyz, so the load balancer takes it out first. Default 3s.</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>web_idle_timeout: a web session ends after this long without a call from its browser. Default 0 (none).</summary>
    public TimeSpan WebIdleTimeout { get; init; }

    public const int DefaultSshMaxStartups = 256;

    public const int DefaultSshMaxStartupsPerAddress = 32;

    /// <summary>
    /// ssh_max_startups: SSH connections to the proxy that may be mid-handshake (not yet authenticated) at once, as
    /// sshd's MaxStartups; a newcomer over it evicts the oldest. Default 256.
    /// </summary>
    public int SshMaxStartups { get; init; } = DefaultSshMaxStartups;

    /// <summary>
    /// ssh_max_startups_per_address: of those, how many one client address may hold (one address flooding churns its own
    /// share only). Default 32; raise it when many users reach the proxy from one address (a NAT) at high rates.
    /// </summary>
    public int SshMaxStartupsPerAddress { get; init; } = DefaultSshMaxStartupsPerAddress;
}
