using System.Globalization;

namespace Teleport.Orleans.Gateway.Peering;

/// <summary>
/// The value a gateway records in <c>Node.TunnelGateway</c>: its peer address (host:port) when it runs a peer
/// listener, so any gateway can forward to it; otherwise a process id (name/guid) that no peer can dial.
/// </summary>
internal static class PeerAddress
{
    public static bool IsDialable(string recorded) =>
        recorded.Length > 0 && !recorded.Contains('/', StringComparison.Ordinal) && TrySplit(recorded, out _, out _);

    public static (string Host, int Port) Split(string address) =>
        TrySplit(address, out var host, out var port) ? (host, port) : throw new FormatException($"\"{address}\" is not host:port");

    private static bool TrySplit(string address, out string host, out int port)
    {
        var colon = address.LastIndexOf(':');
        host = colon > 0 ? address[..colon].Trim('[', ']') : "";
        port = 0;
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }
}
