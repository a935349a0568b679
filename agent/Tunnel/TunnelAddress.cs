using System.Net;
using System.Net.Security;
using System.Text.Json;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>Where an agent dials its reverse tunnel, as the proxy's <c>GET /webapi/ping</c> says.</summary>
internal sealed record TunnelAddress(string Host, int Port, bool TlsRouting)
{
    /// <summary>
    /// Asks the proxy at <paramref name="proxyServer"/> (its web address). The web certificate is not checked
    /// here: what ping says only picks an address, and the tunnel itself authenticates the proxy by its SSH host
    /// certificate from the cluster's host CA.
    /// </summary>
    public static async Task<TunnelAddress> DiscoverAsync(string proxyServer, CancellationToken cancellationToken)
    {
        var (proxyHost, proxyPort) = Split(proxyServer, 3080);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"https://{proxyHost}:{proxyPort}/v1/webapi/ping"), cancellationToken));
        var proxy = document.RootElement.GetProperty("proxy");
        if (proxy.TryGetProperty("tls_routing_enabled", out var routing) && routing.ValueKind == JsonValueKind.True)
        {
            return new TunnelAddress(proxyHost, proxyPort, TlsRouting: true);
        }

        var advertised = proxy.GetProperty("ssh").TryGetProperty("tunnel_public_addr", out var addr) ? addr.GetString() ?? "" : "";
        var (host, port) = Split(advertised.Length > 0 ? advertised : $"{proxyHost}:3024", 3024);
        return new TunnelAddress(await Resolves(host, cancellationToken) ? host : proxyHost, port, TlsRouting: false);
    }

    public override string ToString() => TlsRouting ? $"{Host}:{Port} (TLS routing)" : $"{Host}:{Port}";

    /// <summary>
    /// The proxy advertises its node name when no tunnel_public_addr is set; where that name does not resolve the
    /// agent uses the host it reached the proxy at, as Teleport's agents do.
    /// </summary>
    private static async Task<bool> Resolves(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return true;
        }

        try
        {
            return (await Dns.GetHostAddressesAsync(host, cancellationToken)).Length > 0;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    internal static (string Host, int Port) Split(string address, int defaultPort)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 && !address.EndsWith(']') && int.TryParse(address.AsSpan(colon + 1), out var port)
            ? (address[..colon].Trim('[', ']'), port)
            : (address.Trim('[', ']'), defaultPort);
    }
}
