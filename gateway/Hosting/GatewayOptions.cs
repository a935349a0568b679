using System.Net;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>What the proxy service listens on and how it presents itself; mapped from teleport.yaml proxy_service.</summary>
public sealed record GatewayOptions
{
    /// <summary>HTTPS web API (and, in multiplex mode, every protocol by ALPN).</summary>
    public required IPEndPoint WebListenEndpoint { get; init; }

    /// <summary>SSH proxy (proxy_service.listen_addr); null in multiplex mode without a separate SSH port.</summary>
    public IPEndPoint? SshListenEndpoint { get; init; }

    /// <summary>teleport.nodename: the proxy's name in its host certificate.</summary>
    public string NodeName { get; init; } = "proxy";

    /// <summary>The address users are told to use for the web API, e.g. the load balancer.</summary>
    public required string PublicAddr { get; init; }

    /// <summary>The public SSH proxy address reported by ping; in multiplex mode the web address.</summary>
    public required string SshPublicAddr { get; init; }

    /// <summary>The public reverse-tunnel address reported by ping; in multiplex mode the web address.</summary>
    public required string TunnelPublicAddr { get; init; }

    /// <summary>PEM key and certificate files for the web port; empty: a self-signed certificate in the data dir.</summary>
    public IReadOnlyList<HttpsKeyPair> HttpsKeyPairs { get; init; } = [];

    /// <summary>Where the self-signed certificate is kept so clients that pinned it keep trusting it across restarts.</summary>
    public required string DataDir { get; init; }

    /// <summary>Host names the self-signed certificate is valid for.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = ["localhost"];

    /// <summary>Reverse tunnel listener (proxy_service.tunnel_listen_addr, 3024); null: tunnels only by ALPN in multiplex mode.</summary>
    public IPEndPoint? TunnelListenEndpoint { get; init; }

    /// <summary>host:port of the auth service's gRPC API, which agents joined through the proxy reach over their tunnel.</summary>
    public string AuthServer { get; init; } = "";

    public bool Multiplex { get; init; }

    /// <summary>
    /// teleport.auth_server of a proxy-only process: where node traffic that needs the auth API (over reverse
    /// tunnels) is spliced to. Null in the all-in-one process, whose auth API is local.
    /// </summary>
    public string? AuthServerAddress { get; init; }

    /// <summary>
    /// The host identity a proxy-only process got by joining with a Proxy token, as it is now (the process renews
    /// it; the gateway re-reads it every minute); null: the gateway asks the issuer grain for one (the all-in-one
    /// process, where the auth service vouches for its own proxy).
    /// </summary>
    public Func<GatewayHostIdentity>? HostIdentity { get; init; }

    /// <summary>
    /// proxy_service.peer_listen_addr: where other gateways forward connections for the reverse tunnels this one
    /// holds (mutual TLS with Proxy certificates). Null: no peer listener (a single gateway).
    /// </summary>
    public IPEndPoint? PeerListenEndpoint { get; init; }

    /// <summary>proxy_service.peer_public_addr: host:port other gateways dial to reach the peer listener.</summary>
    public string PeerPublicAddr { get; init; } = "";

    public string Version { get; init; } = "0.1.0";

    /// <summary>teleport.connection_limits.max_connections: open connections per client IP, over all public ports.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 15000;

    /// <summary>teleport.connection_limits.max_users: distinct users connected to the SSH proxy at once.</summary>
    public int MaxUsers { get; init; } = 250;

    /// <summary>proxy_service.ssh_max_startups: SSH connections to the proxy mid-handshake at once (sshd's MaxStartups).</summary>
    public int SshMaxStartups { get; init; } = 256;

    /// <summary>proxy_service.ssh_max_startups_per_address: of those, how many one client address may hold.</summary>
    public int SshMaxStartupsPerAddress { get; init; } = 32;

    /// <summary>
    /// proxy_service.shutdown_grace_period: on SIGTERM, how long open sessions may run on after the proxy stopped
    /// accepting and failed its readiness check. Zero stops at once.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// proxy_service.drain_delay: on SIGTERM, how long the proxy keeps accepting after failing its readiness check, so
    /// the load balancer's health check takes it out before its listeners close (then on until no new connection came
    /// for a second). The default fits the shipped haproxy configuration (checks every 1 s, 0.5 s once failing, down
    /// after 2): out within 1.5 s, and a margin. Zero stops accepting at once.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>proxy_service.web_idle_timeout: a web session ends after this long without a call. Zero: no limit.</summary>
    public TimeSpan WebIdleTimeout { get; init; }

    /// <summary>proxy_service.acme when enabled: the web certificates come from this ACME directory; null: off.</summary>
    public Acme.AcmeOptions? Acme { get; init; }

    /// <summary>Web logins and invite redemptions allowed per client address and per user; Teleport's web limiter by default.</summary>
    public LoginRateLimit LoginRateLimit { get; init; } = new();
}

/// <summary>
/// A token bucket: <see cref="Burst"/> attempts at once, refilled at <see cref="PerMinute"/> a minute (Teleport's
/// web limiter: 20 a minute, bursts of 40).
/// </summary>
public sealed record LoginRateLimit(int PerMinute = 20, int Burst = 40);

/// <summary>One proxy_service.https_keypairs entry.</summary>
public sealed record HttpsKeyPair(string KeyFile, string CertFile);

/// <summary>
/// The proxy's SSH host key (OpenSSH PEM), its host certificate and the cluster's user and host CAs, and its X.509
/// key, certificate and the cluster's TLS CA (PEM), from joining.
/// </summary>
public sealed record GatewayHostIdentity(
    string SshPrivateKeyPem, string SshCertificate, string UserCa, string HostCa, string ClusterName,
    string TlsPrivateKeyPem, string TlsCertificatePem, string TlsCaPem);
