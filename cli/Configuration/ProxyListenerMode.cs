namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.proxy_listener_mode: whether the proxy serves every protocol on its web port (TLS routing).</summary>
public enum ProxyListenerMode
{
    /// <summary>One port, protocols told apart by ALPN. The default for config v2 and later.</summary>
    Multiplex,

    /// <summary>A port per protocol: SSH on 3023, tunnels on 3024, HTTPS on 3080.</summary>
    Separate,
}
