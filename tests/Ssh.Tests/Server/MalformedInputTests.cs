using System.Text;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>Malformed input closes that connection with a logged reason; the listener keeps serving others.</summary>
public sealed class MalformedInputTests
{
    [Fact]
    public async Task Garbage_version_line_closes_the_connection_and_the_listener_keeps_serving()
    {
        await using var server = TestSshServer.Start();
        await using (var client = await RawSshClient.ConnectAsync(server.Port))
        {
            Assert.Equal("SSH-2.0-TeleportOrleans_0.1", await client.ReadServerVersionAsync());
            await client.SendLineAsync("GET / HTTP/1.1");

            Assert.Null(await client.ReadDisconnectAsync());
        }

        await server.Logs.WaitForAsync(e => e.Message.Contains("Invalid SSH identification string 'GET / HTTP/1.1'"));
        Assert.Equal(0, (await server.SshAsync("true")).ExitCode);
    }

    [Fact]
    public async Task Overlong_version_line_is_refused()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);

        await client.ReadServerVersionAsync();
        await client.SendRawAsync(Encoding.ASCII.GetBytes("SSH-2.0-" + new string('x', 300)));

        Assert.Null(await client.ReadDisconnectAsync());
        await server.Logs.WaitForAsync(e => e.Message.Contains("Identification line longer than 255 bytes"));
    }

    [Fact]
    public async Task Oversize_packet_length_gets_a_protocol_error_disconnect()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.SendLineAsync(RawSshClient.Version);
        await client.ReadServerVersionAsync();

        await client.SendRawAsync([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("Bad packet length", disconnect?.Description);
        await server.Logs.WaitForAsync(e => e.Message.Contains("ProtocolError: Bad packet length 2147483647"));
    }

    [Fact]
    public async Task Bad_padding_gets_a_protocol_error_disconnect()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.SendLineAsync(RawSshClient.Version);
        await client.ReadServerVersionAsync();

        await client.SendRawAsync([0, 0, 0, 12, 2, SshMessage.Ignore, .. new byte[10]]);

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("Bad padding length 2", disconnect?.Description);
    }

    [Theory]
    [InlineData("aes256-gcm@openssh.com", "hmac-sha2-256")]
    [InlineData("chacha20-poly1305@openssh.com", "hmac-sha2-256")]
    [InlineData("aes128-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes256-ctr", "hmac-sha2-512")]
    public async Task Corrupted_mac_after_key_exchange_closes_with_a_mac_error(string cipher, string mac)
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync(cipher, mac);
        var frame = client.Frame(new SshWriter(32).WriteByte(SshMessage.ServiceRequest).WriteString("ssh-userauth").ToArray());

        frame[^1] ^= 0x01;
        await client.SendRawAsync(frame);

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.MacError, disconnect?.Reason);
        await server.Logs.WaitForAsync(e => e.Message.Contains("MacError"));
    }

    [Fact]
    public async Task Message_before_the_key_exchange_is_refused()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.SendLineAsync(RawSshClient.Version);
        await client.ReadServerVersionAsync();

        await client.SendAsync(new SshWriter(32).WriteByte(SshMessage.ServiceRequest).WriteString("ssh-userauth").ToArray());

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("before the first key exchange", disconnect?.Description);
    }

    [Fact]
    public async Task Strict_kex_client_whose_kexinit_is_not_its_first_packet_is_refused()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.SendLineAsync(RawSshClient.Version);
        await client.ReadServerVersionAsync();
        await client.SendAsync([SshMessage.Ignore, 0, 0, 0, 0]);

        await client.SendAsync(StrictKexInit());

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("KEXINIT was not its first packet", disconnect?.Description);
    }

    [Fact]
    public async Task Ignore_during_the_initial_strict_key_exchange_is_fatal()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.SendLineAsync(RawSshClient.Version);
        await client.ReadServerVersionAsync();
        await client.SendAsync(StrictKexInit());

        await client.SendAsync([SshMessage.Ignore, 0, 0, 0, 0]);

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("strict key exchange", disconnect?.Description);
    }

    [Fact]
    public async Task Client_without_a_common_cipher_gets_key_exchange_failed()
    {
        await using var server = TestSshServer.Start(o =>
        {
            o.Ciphers.Clear();
            o.Ciphers.Add("aes128-gcm@openssh.com");
        });

        var run = await server.SshAsync("true", null, "-c", "aes256-ctr");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("no matching cipher", run.Error);
        await server.Logs.WaitForAsync(e => e.Message.Contains("KeyExchangeFailed: No matching cipher"));
    }

    [Fact]
    public async Task Sixth_failed_authentication_attempt_disconnects()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync();
        await client.RequestUserAuthServiceAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await client.SendAsync(PasswordRequest());
            var failure = await client.ReceiveMessageAsync();
            Assert.Equal(SshMessage.UserAuthFailure, failure[0]);
        }

        await client.SendAsync(PasswordRequest());

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.NoMoreAuthMethodsAvailable, disconnect?.Reason);
        Assert.Contains("Too many authentication failures", disconnect?.Description);
    }

    [Fact]
    public async Task None_method_is_answered_with_the_publickey_method_list()
    {
        await using var server = TestSshServer.Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync();
        await client.RequestUserAuthServiceAsync();

        await client.SendAsync(new SshWriter(64).WriteByte(SshMessage.UserAuthRequest).WriteString("alice").WriteString("ssh-connection").WriteString("none").ToArray());

        var failure = await client.ReceiveMessageAsync();
        var reader = new SshReader(failure);
        Assert.Equal(SshMessage.UserAuthFailure, reader.ReadByte());
        Assert.Equal(["publickey"], reader.ReadNameList());
        Assert.False(reader.ReadBoolean());
    }

    [Fact]
    public async Task Signature_by_another_key_is_refused()
    {
        await using var server = TestSshServer.Start();
        var key = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(key.PublicKey);
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync();

        var answer = await client.AuthenticateAsync(TestKeys.GetOther(SshKeyType.Ed25519), "alice", presented: key.PublicKey);

        Assert.Equal(SshMessage.UserAuthFailure, answer[0]);
        await server.Logs.WaitForAsync(e => e.Message.Contains("the signature does not verify"));
    }

    private static byte[] PasswordRequest() =>
        new SshWriter(64).WriteByte(SshMessage.UserAuthRequest).WriteString("alice").WriteString("ssh-connection")
            .WriteString("password").WriteBoolean(false).WriteString("secret").ToArray();

    private static byte[] StrictKexInit() => new KexInitMessage
    {
        KeyExchange = ["curve25519-sha256", KexInitMessage.StrictKexClient],
        HostKey = ["ssh-ed25519"],
        CiphersClientToServer = ["aes256-gcm@openssh.com"],
        CiphersServerToClient = ["aes256-gcm@openssh.com"],
        MacsClientToServer = ["hmac-sha2-256"],
        MacsServerToClient = ["hmac-sha2-256"],
        CompressionClientToServer = ["none"],
        CompressionServerToClient = ["none"],
    }.Encode();
}
