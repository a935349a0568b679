namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>The proxy_service of a test server: free loopback ports and the few settings tests vary.</summary>
internal sealed class ProxySettings
{
    private readonly int[] _ports = FreePorts.Take(3);

    public int WebPort => _ports[0];

    public int SshPort => _ports[1];

    public int TunnelPort => _ports[2];

    public string SecondFactor { get; init; } = "otp";

    /// <summary>auth_service.proxy_listener_mode.</summary>
    public string ListenerMode { get; init; } = "separate";

    /// <summary>Extra proxy_service lines (indented by two spaces), e.g. https_keypairs.</summary>
    public string Extra { get; init; } = "";

    internal string Section(string root) => $"""
          enabled: true
          web_listen_addr: 127.0.0.1:{WebPort}
          listen_addr: 127.0.0.1:{SshPort}
          tunnel_listen_addr: 127.0.0.1:{TunnelPort}
          public_addr: 127.0.0.1:{WebPort}
        {Extra.Replace("{root}", root, StringComparison.Ordinal)}
        """;
}
