namespace Teleport.Orleans.Configuration;

/// <summary>The <c>teleport:</c> section: identity, storage, logging and how this process reaches the cluster.</summary>
public sealed class TeleportProcessConfig
{
    /// <summary>nodename: this instance's name in the cluster. Default: the host name.</summary>
    public string NodeName { get; init; } = TeleportDefaults.HostName;

    /// <summary>data_dir: where the process keeps its identity, local state and (with SQLite) the cluster state.</summary>
    public string DataDir { get; init; } = TeleportDefaults.DataDir;

    /// <summary>pid_file: file to write the process id to; none when null.</summary>
    public string? PidFile { get; init; }

    public LogConfig Log { get; init; } = new();

    public StorageConfig Storage { get; init; } = new();

    /// <summary>auth_token: join token (or a path to a file holding it) for instances joining an existing cluster.</summary>
    public string? AuthToken { get; init; }

    public JoinParamsConfig JoinParams { get; init; } = new();

    /// <summary>auth_server: Auth Service to join and talk to directly (default port 3025).</summary>
    public NetAddress? AuthServer { get; init; }

    /// <summary>auth_servers: several Auth Service addresses (the v1/v2 form, kept for compatibility).</summary>
    public IReadOnlyList<NetAddress> AuthServers { get; init; } = [];

    /// <summary>proxy_server: Proxy Service to join and tunnel through (default port 3080).</summary>
    public NetAddress? ProxyServer { get; init; }

    /// <summary>ca_pin: SHA-256 pins of the cluster CA ("sha256:..."), checked when joining through auth_server.</summary>
    public IReadOnlyList<string> CaPins { get; init; } = [];

    /// <summary>advertise_ip: the address other components should use to reach this host, when not its own.</summary>
    public string? AdvertiseIp { get; init; }

    /// <summary>diag_addr: where to serve /healthz, /readyz and metrics; disabled when null.</summary>
    public NetAddress? DiagAddr { get; init; }

    public ConnectionLimitsConfig ConnectionLimits { get; init; } = new();

    public CacheConfig Cache { get; init; } = new();
}
