using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// A deliberately minimal SSH client built from the library's own packet layer, for driving the server into
/// corners a real client never goes: corrupt packets, protocol violations, window edge cases.
/// </summary>
internal sealed class RawSshClient : IAsyncDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(20);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamInput _input;
    private readonly PacketReader _reader;
    private readonly PacketWriter _writer = new();

    private RawSshClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _input = new StreamInput(_stream);
        _reader = new PacketReader(_input);
    }

    public const string Version = "SSH-2.0-RawTestClient_1.0";

    public string ServerVersion { get; private set; } = "";

    public byte[] SessionId { get; private set; } = [];

    public static async Task<RawSshClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new RawSshClient(tcp);
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public Task SendLineAsync(string line) => SendRawAsync(Encoding.ASCII.GetBytes(line + "\r\n"));

    public async Task<string> ReadServerVersionAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        ServerVersion = Encoding.ASCII.GetString(await _input.ReadLineAsync(255, timeout.Token));
        return ServerVersion;
    }

    /// <summary>The encrypted packet as it would go on the wire (for tampering).</summary>
    public byte[] Frame(byte[] payload) => _writer.Frame(payload).ToArray();

    public Task SendAsync(byte[] payload) => SendRawAsync(Frame(payload));

    public async Task<byte[]> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        return await _reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next message that is not IGNORE, DEBUG or EXT_INFO.</summary>
    public async Task<byte[]> ReceiveMessageAsync()
    {
        while (true)
        {
            var payload = await ReceiveAsync();
            if (payload[0] is not (SshMessage.Ignore or SshMessage.Debug or SshMessage.ExtInfo))
            {
                return payload;
            }
        }
    }

    /// <summary>Reads until the server's DISCONNECT (returned) or the end of the stream (null).</summary>
    public async Task<(SshDisconnectReason Reason, string Description)?> ReadDisconnectAsync()
    {
        try
        {
            while (true)
            {
                var payload = await ReceiveAsync();
                if (payload[0] == SshMessage.Disconnect)
                {
                    var reader = new SshReader(payload);
                    reader.ReadByte();
                    return ((SshDisconnectReason)reader.ReadUInt32(), reader.ReadUtf8String());
                }
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return null;
        }
    }

    /// <summary>Version exchange and curve25519-sha256 + ssh-ed25519 key exchange; verifies the server's signature.</summary>
    public async Task HandshakeAsync(string cipher = "aes256-gcm@openssh.com", string mac = "hmac-sha2-256", bool strict = true)
    {
        await SendLineAsync(Version);
        await ReadServerVersionAsync();
        var clientKexInit = new KexInitMessage
        {
            KeyExchange = strict ? ["curve25519-sha256", KexInitMessage.StrictKexClient] : ["curve25519-sha256"],
            HostKey = ["ssh-ed25519"],
            CiphersClientToServer = [cipher],
            CiphersServerToClient = [cipher],
            MacsClientToServer = [mac],
            MacsServerToClient = [mac],
            CompressionClientToServer = ["none"],
            CompressionServerToClient = ["none"],
        }.Encode();
        await SendAsync(clientKexInit);
        var serverKexInit = await ReceiveAsync();
        Assert.Equal(SshMessage.KexInit, serverKexInit[0]);

        using var agreement = new Curve25519KeyAgreement();
        await SendAsync(new SshWriter(64).WriteByte(SshMessage.KexEcdhInit).WriteString(agreement.PublicKey).ToArray());
        var reply = await ReceiveAsync();
        Assert.Equal(SshMessage.KexEcdhReply, reply[0]);
        var (hostKey, serverPublic, signature) = ReadReply(reply);
        var secret = agreement.DeriveSharedSecret(serverPublic);
        var hash = KeyDerivation.ExchangeHash(
            HashAlgorithmName.SHA256, Version, ServerVersion, clientKexInit, serverKexInit, hostKey, agreement.PublicKey, serverPublic, secret);
        Assert.True(SshPublicKey.FromBlob(hostKey).Verify(hash, signature), "The server's exchange hash signature does not verify.");
        SessionId = hash;

        var keys = new KeyDerivation(HashAlgorithmName.SHA256, secret, hash, hash);
        var cipherAlgorithm = CipherAlgorithm.Find(cipher)!;
        var macAlgorithm = cipherAlgorithm.IsAead ? null : MacAlgorithm.Find(mac);
        var newKeys = await ReceiveAsync();
        Assert.Equal(new[] { SshMessage.NewKeys }, newKeys);
        await SendAsync([SshMessage.NewKeys]);
        _writer.Cipher = keys.CreateCipher(cipherAlgorithm, macAlgorithm, clientToServer: true);
        _reader.Cipher = keys.CreateCipher(cipherAlgorithm, macAlgorithm, clientToServer: false);
        if (strict)
        {
            _writer.Sequence = 0;
            _reader.Sequence = 0;
        }
    }

    /// <summary>
    /// ssh-userauth service, then one publickey request signed by <paramref name="key"/> for <paramref name="presented"/>
    /// (the key's own public key unless a forgery is wanted); returns the server's answer (52 on success).
    /// </summary>
    public async Task<byte[]> AuthenticateAsync(SshPrivateKey key, string user, SshPublicKey? presented = null)
    {
        await RequestUserAuthServiceAsync();
        var algorithm = key.DefaultSignatureAlgorithm;
        var blob = (presented ?? key.PublicKey).Blob;
        var signed = new SshWriter(512)
            .WriteString(SessionId).WriteByte(SshMessage.UserAuthRequest).WriteString(user).WriteString("ssh-connection")
            .WriteString("publickey").WriteBoolean(true).WriteString(algorithm).WriteString(blob).ToArray();
        var signature = key.Sign(signed);
        var request = new SshWriter(1024)
            .WriteByte(SshMessage.UserAuthRequest).WriteString(user).WriteString("ssh-connection").WriteString("publickey")
            .WriteBoolean(true).WriteString(algorithm).WriteString(blob).WriteString(signature).ToArray();
        await SendAsync(request);
        return await ReceiveMessageAsync();
    }

    public async Task RequestUserAuthServiceAsync()
    {
        await SendAsync(new SshWriter(32).WriteByte(SshMessage.ServiceRequest).WriteString("ssh-userauth").ToArray());
        Assert.Equal(SshMessage.ServiceAccept, (await ReceiveMessageAsync())[0]);
    }

    /// <summary>Opens a session channel (our id 0) and returns the server's channel id.</summary>
    public async Task<uint> OpenSessionAsync(uint window, uint maxPacket)
    {
        await SendAsync(new SshWriter(64).WriteByte(SshMessage.ChannelOpen).WriteString("session").WriteUInt32(0).WriteUInt32(window).WriteUInt32(maxPacket).ToArray());
        var confirmation = await ReceiveMessageAsync();
        Assert.Equal(SshMessage.ChannelOpenConfirmation, confirmation[0]);
        var reader = new SshReader(confirmation);
        reader.ReadByte();
        Assert.Equal(0u, reader.ReadUInt32());
        return reader.ReadUInt32();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private static (byte[] HostKey, byte[] ServerPublic, byte[] Signature) ReadReply(byte[] reply)
    {
        var reader = new SshReader(reply);
        reader.ReadByte();
        return (reader.ReadString().ToArray(), reader.ReadString().ToArray(), reader.ReadString().ToArray());
    }
}
