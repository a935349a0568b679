using System.Net;
using System.Net.Sockets;
using System.Text;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Scripted servers that break the protocol: the client must fail with a clear error, not hang.</summary>
public sealed class MisbehavingServerTests
{
    [Fact]
    public async Task A_peer_that_is_not_an_ssh_server_is_a_clear_protocol_error()
    {
        var error = await ConnectToScriptAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"));

        Assert.Contains("not an SSH server: it sent 'HTTP/1.1 400 Bad Request'", error.Message);
    }

    [Fact]
    public async Task A_strict_kex_server_whose_first_packet_is_not_kexinit_is_refused()
    {
        var writer = new PacketWriter();
        var kexInit = new KexInitMessage
        {
            KeyExchange = ["curve25519-sha256", KexInitMessage.StrictKexServer],
            HostKey = ["ssh-ed25519"],
            CiphersClientToServer = ["aes256-gcm@openssh.com"],
            CiphersServerToClient = ["aes256-gcm@openssh.com"],
            MacsClientToServer = ["hmac-sha2-256"],
            MacsServerToClient = ["hmac-sha2-256"],
            CompressionClientToServer = ["none"],
            CompressionServerToClient = ["none"],
        }.Encode();
        byte[] script =
        [
            .. Encoding.ASCII.GetBytes("SSH-2.0-Scripted\r\n"),
            .. writer.Frame([SshMessage.Ignore, 0, 0, 0, 0]).ToArray(),
            .. writer.Frame(kexInit).ToArray(),
        ];

        var error = await ConnectToScriptAsync(script);

        Assert.Contains("Strict key exchange: the server's KEXINIT was not its first packet", error.Message);
        Assert.Equal(SshDisconnectReason.ProtocolError, error.DisconnectReason);
    }

    [Fact]
    public async Task A_server_that_closes_during_the_handshake_is_a_clear_error()
    {
        var error = await ConnectToScriptAsync(Encoding.ASCII.GetBytes("SSH-2.0-Scripted\r\n"));

        Assert.Contains("The server closed the connection", error.Message);
    }

    [Fact]
    public async Task A_closed_port_is_a_clear_connect_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = ClientOptions.For("alice", TestKeys.Get(SshKeyType.Ed25519), SshHostKeyVerifiers.AcceptAny());

        var error = await Assert.ThrowsAsync<SshConnectionException>(() => SshClient.ConnectAsync("127.0.0.1", port, options));

        Assert.StartsWith($"Cannot connect to 127.0.0.1:{port}", error.Message);
    }

    /// <summary>A server that sends <paramref name="script"/>, reads whatever comes, and closes.</summary>
    private static async Task<SshConnectionException> ConnectToScriptAsync(byte[] script)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync(script);
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await socket.ReceiveAsync(buffer, timeout.Token) > 0)
            {
            }
        });
        try
        {
            var options = ClientOptions.For("alice", TestKeys.Get(SshKeyType.Ed25519), SshHostKeyVerifiers.AcceptAny());
            var error = await Assert.ThrowsAnyAsync<SshConnectionException>(
                () => SshClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, options));
            await serving;
            return error;
        }
        finally
        {
            listener.Stop();
        }
    }
}
