namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>The proxy_service of a test server: free loopback ports and the few settings tests vary.</summary>
internal sealed class ProxySettings
{
    private readonly int[] _ports = FreePorts.Take(4);

    public int WebPort => _ports[0];

    public int SshPort => _ports[1];

    public int TunnelPort => _ports[2];

    /// <summary>proxy_service.peer_listen_addr: set always, so a test never falls back to the shared default port 3021.</summary>
    public int PeerPort => _ports[3];

    public string SecondFactor { get; init; } = "otp";

    /// <summary>auth_service.proxy_listener_mode.</summary>
    public string ListenerMode { get; init; } = "separate";

    /// <summary>proxy_service.public_addr; default 127.0.0.1 and the web port.</summary>
    public string? PublicAddr { get; set; }

    /// <summary>Extra teleport: lines (indented by two spaces), e.g. connection_limits.</summary>
    public string TeleportExtra { get; init; } = "";

    /// <summary>Extra proxy_service lines (indented by two spaces), e.g. https_keypairs.</summary>
    public string Extra { get; set; } = "";

    /// <summary>
    /// Leaves listen_addr out: with <c>multiplex</c> (which ignores tunnel_listen_addr) the web port is then the only
    /// port clients and nodes reach the proxy on.
    /// </summary>
    public bool WebPortOnly { get; init; }

    /// <summary>A top-level app_service section (lines at column 0), e.g. from <c>Apps.AppCluster</c>; empty: none.</summary>
    public string AppServiceSection { get; init; } = "";

    /// <summary>When set, the process also runs a node (ssh_service) on this loopback port, named <c>itest</c>.</summary>
    public int? NodePort { get; init; }

    internal string SshServiceSection() => NodePort is { } port
        ? $"  enabled: true\n  listen_addr: 127.0.0.1:{port}\n  labels:\n    env: itest"
        : "  enabled: false";

    internal string Section(string root) => $"""
          enabled: true
          web_listen_addr: 127.0.0.1:{WebPort}
        {(WebPortOnly ? "" : $"  listen_addr: 127.0.0.1:{SshPort}")}
          tunnel_listen_addr: 127.0.0.1:{TunnelPort}
          peer_listen_addr: 127.0.0.1:{PeerPort}
          public_addr: {PublicAddr ?? $"127.0.0.1:{WebPort}"}
        {Extra.Replace("{root}", root, StringComparison.Ordinal)}
        """;
}
