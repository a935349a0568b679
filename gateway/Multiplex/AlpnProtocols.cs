using System.Net.Security;

namespace Teleport.Orleans.Gateway.Multiplex;

/// <summary>The ALPN names the web port answers in multiplex mode (Teleport's TLS routing).</summary>
internal static class AlpnProtocols
{
    public static readonly SslApplicationProtocol ProxySsh = new("teleport-proxy-ssh");

    public static readonly SslApplicationProtocol ReverseTunnel = new("teleport-reversetunnel");

    /// <summary>In preference order: the Teleport protocols first, so a client offering both gets its own.</summary>
    public static List<SslApplicationProtocol> Multiplexed { get; } =
        [ProxySsh, ReverseTunnel, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public static List<SslApplicationProtocol> WebOnly { get; } = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
}
