namespace Teleport.Orleans.Configuration;

/// <summary>auth_service: the certificate authorities, users, roles and the gRPC API on 3025.</summary>
public sealed class AuthServiceConfig
{
    /// <summary>enabled: default true; dedicated proxy and node instances turn it off.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>listen_addr: the gRPC API. Default 0.0.0.0:3025.</summary>
    public NetAddress ListenAddr { get; init; } = new("0.0.0.0", TeleportDefaults.AuthPort);

    /// <summary>public_addr: how others reach this Auth Service, e.g. the auth pool's load balancer (default port 3025).</summary>
    public IReadOnlyList<NetAddress> PublicAddrs { get; init; } = [];

    /// <summary>cluster_name: the name signed into every certificate; cannot change later. Default: the nodename.</summary>
    public string ClusterName { get; init; } = TeleportDefaults.HostName;

    /// <summary>proxy_listener_mode: default multiplex (TLS routing), the default for config v2 and later.</summary>
    public ProxyListenerMode ProxyListenerMode { get; init; } = ProxyListenerMode.Multiplex;

    /// <summary>license_file: Enterprise license; a relative path is resolved against data_dir. Null when not set.</summary>
    public string? LicenseFile { get; init; }

    public AuthenticationConfig Authentication { get; init; } = new();

    /// <summary>tokens: static join tokens ("node:secret", "node,proxy:secret"). Discouraged; use dynamic tokens.</summary>
    public IReadOnlyList<StaticToken> Tokens { get; init; } = [];

    /// <summary>session_recording: default node.</summary>
    public SessionRecordingMode SessionRecording { get; init; } = SessionRecordingMode.Node;

    /// <summary>message_of_the_day: shown to users before login; none when null.</summary>
    public string? MessageOfTheDay { get; init; }

    /// <summary>routing_strategy: default unambiguous_match.</summary>
    public RoutingStrategy RoutingStrategy { get; init; } = RoutingStrategy.UnambiguousMatch;

    /// <summary>failure_detection: probe timeouts of the auth pool's membership protocol.</summary>
    public FailureDetectionConfig FailureDetection { get; init; } = new();
}
