using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>
/// Before authentication the listener acknowledges what it reads at once, so a client with Nagle's algorithm on
/// (OpenSSH until it has logged in) never waits for the kernel's delayed ACK to send its next packet.
/// </summary>
public sealed class HandshakeAckStreamTests
{
    private const int IpProtocolTcp = 6;
    private const int TcpQuickAck = 12;

    [Fact]
    public async Task Reads_before_authentication_leave_the_connection_acknowledging_at_once()
    {
        var (serverSocket, client) = await ConnectedPair();
        using var _ = client;
        await using var server = new HandshakeAckStream(serverSocket);
        var buffer = new byte[16];

        // Read then answer at once, as the server does in a key exchange: the kernel takes that for an interactive
        // peer and starts delaying its ACKs.
        await client.SendAsync("KEXINIT"u8.ToArray());
        await server.ReadExactlyAsync(buffer.AsMemory(0, 7));
        await server.WriteAsync("KEXINIT"u8.ToArray());
        await client.SendAsync("ECDH"u8.ToArray());
        await server.ReadExactlyAsync(buffer.AsMemory(0, 4));

        Assert.Equal(1, QuickAck(serverSocket));
        Assert.Equal("ECDH"u8.ToArray(), buffer[..4]);
    }

    [Fact]
    public async Task Data_passes_through_unchanged_before_and_after_authentication()
    {
        var (serverSocket, client) = await ConnectedPair();
        using var _ = client;
        await using var server = new HandshakeAckStream(serverSocket);
        var buffer = new byte[5];

        await client.SendAsync("hello"u8.ToArray());
        await server.ReadExactlyAsync(buffer);
        server.HandshakeCompleted();
        await client.SendAsync("world"u8.ToArray());
        var second = new byte[5];
        await server.ReadExactlyAsync(second);

        Assert.Equal("hello"u8.ToArray(), buffer);
        Assert.Equal("world"u8.ToArray(), second);
    }

    private static int QuickAck(Socket socket)
    {
        var value = new byte[4];
        socket.GetRawSocketOption(IpProtocolTcp, TcpQuickAck, value);
        return BitConverter.ToInt32(value);
    }

    private static async Task<(Socket Server, Socket Client)> ConnectedPair()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        // Nagle on, as OpenSSH's client has it during the handshake.
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = false };
        var accepting = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var server = await accepting;
        server.NoDelay = true;
        return (server, client);
    }
}
