using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.TestSupport;

/// <summary>Both ends of one TCP connection over loopback, for tests of code that reads and writes a socket.</summary>
public static class LoopbackConnection
{
    /// <summary>A connected pair: the end that dialed, and the end that accepted; the caller disposes both.</summary>
    public static async Task<(Socket Dialed, Socket Accepted)> OpenAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var dialed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptSocketAsync();
        await dialed.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        return (dialed, await accepting);
    }
}
