using System.Net.Sockets;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// The kernel's smoothed round-trip time of a TCP connection (Linux <c>TCP_INFO</c>'s <c>tcpi_rtt</c>): the browser's
/// network latency for the web terminal's <c>l</c> envelope, measured without a message of our own.
/// </summary>
internal static class TcpRoundTrip
{
    private const int SolTcp = 6;
    private const int TcpInfo = 11;
    private const int RttOffset = 68;

    /// <summary>The round-trip time, or null where the platform does not tell it.</summary>
    public static TimeSpan? Of(Socket? socket)
    {
        if (socket is null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            Span<byte> info = stackalloc byte[232];
            var length = socket.GetRawSocketOption(SolTcp, TcpInfo, info);
            return length >= RttOffset + 4 ? TimeSpan.FromMicroseconds(BitConverter.ToUInt32(info[RttOffset..])) : null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return null;
        }
    }
}
