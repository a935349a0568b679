using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The client's half of key exchange (RFC 5656 §4, RFC 8731): KEX_ECDH_INIT, then the server's reply checked
/// (host key type, signature of the exchange hash, the caller's verdict on the host key), and the server's
/// EXT_INFO (RFC 8308).
/// </summary>
internal sealed partial class ClientKeyExchange(ClientSettings settings, ILogger logger) : KeyExchangeRole
{
    public override bool IsClient => true;

    public override string Version => settings.ClientVersion;

    public override IReadOnlyList<string> HostKeyAlgorithms => settings.HostKeyAlgorithms;

    /// <summary>The host key the server proved in the first key exchange.</summary>
    public SshServerHostKey? HostKey { get; private set; }

    /// <summary><c>server-sig-algs</c> from the server's EXT_INFO (RFC 8308 §3.1); null if none arrived.</summary>
    public IReadOnlyList<string>? ServerSignatureAlgorithms { get; private set; }

    public override ValueTask<string> ReadPeerVersionAsync(StreamInput input, CancellationToken cancellationToken) =>
        VersionExchange.ReadServerVersionAsync(input, settings.MaxPreambleLines, cancellationToken);

    public override async ValueTask<(PacketCipher Outgoing, PacketCipher Incoming)> ExchangeAsync(
        SshTransport transport, NegotiatedAlgorithms negotiated, CancellationToken cancellationToken)
    {
        using var agreement = negotiated.KeyExchange.CreateAgreement();
        var init = new SshWriter(160).WriteByte(SshMessage.KexEcdhInit).WriteString(agreement.PublicKey).ToArray();
        await transport.SendAsync(init, cancellationToken).ConfigureAwait(false);

        var reply = await transport.ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        if (reply[0] != SshMessage.KexEcdhReply)
        {
            throw SshProtocolException.Protocol($"Expected KEX_ECDH_REPLY, got message {reply[0]}.");
        }

        byte[] hostKeyBlob, serverPublic, signature;
        try
        {
            var reader = new SshReader(reply);
            reader.ReadByte();
            hostKeyBlob = reader.ReadString().ToArray();
            serverPublic = reader.ReadString().ToArray();
            signature = reader.ReadString().ToArray();
            reader.EnsureEnd("KEX_ECDH_REPLY");
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed KEX_ECDH_REPLY: {ex.Message}", ex);
        }

        var hostKey = ParseHostKey(negotiated.HostKey, hostKeyBlob, out var signatureAlgorithm);
        var secret = agreement.DeriveSharedSecret(serverPublic);
        try
        {
            var exchangeHash = transport.ExchangeHash(negotiated, hostKeyBlob, agreement.PublicKey, serverPublic, secret);
            if (!SshSignatureBlob.TryDecode(signature, out var signedWith, out _) || signedWith != signatureAlgorithm ||
                !hostKey.PublicKey.Verify(exchangeHash, signature))
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"The server's {negotiated.HostKey} signature of the exchange hash does not verify.");
            }

            await CheckHostKeyAsync(hostKey, cancellationToken).ConfigureAwait(false);
            return transport.DeriveCiphers(negotiated, secret, exchangeHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public override void OnExtInfo(byte[] payload)
    {
        try
        {
            var reader = new SshReader(payload);
            reader.ReadByte();
            var count = reader.ReadUInt32();
            for (var i = 0u; i < count; i++)
            {
                var name = reader.ReadUtf8String();
                var value = reader.ReadString();
                if (name == "server-sig-algs")
                {
                    ServerSignatureAlgorithms = Encoding.ASCII.GetString(value).Split(',', StringSplitOptions.RemoveEmptyEntries);
                    LogServerSignatureAlgorithms(logger, string.Join(',', ServerSignatureAlgorithms));
                }
            }
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed EXT_INFO: {ex.Message}", ex);
        }
    }

    private SshServerHostKey ParseHostKey(string algorithm, byte[] blob, out string signatureAlgorithm)
    {
        if (PublicKeyAlgorithms.Describe(algorithm) is not { } described)
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Host key algorithm '{algorithm}' is not supported.");
        }

        signatureAlgorithm = described.SignatureAlgorithm;
        try
        {
            var certificate = described.IsCertificate ? SshCertificate.FromBlob(blob) : null;
            var key = certificate?.PublicKey ?? SshPublicKey.FromBlob(blob);
            var blobType = certificate?.Algorithm ?? key.Algorithm;
            if (blobType != described.BlobType)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Host key of type {blobType} does not match the negotiated algorithm {algorithm}.");
            }

            return new SshServerHostKey(settings.HostName, algorithm, key, certificate);
        }
        catch (FormatException ex)
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"The server's host key does not parse: {ex.Message}", ex);
        }
    }

    private async ValueTask CheckHostKeyAsync(SshServerHostKey hostKey, CancellationToken cancellationToken)
    {
        if (HostKey is { } first)
        {
            // A re-exchange must be signed by the key verified in the first one (as OpenSSH requires).
            if (!first.PublicKey.Equals(hostKey.PublicKey))
            {
                throw new SshProtocolException(SshDisconnectReason.HostKeyNotVerifiable, $"The server's host key changed during a key re-exchange ({first.PublicKey} to {hostKey.PublicKey}).");
            }

            return;
        }

        await settings.VerifyHostKey(hostKey, cancellationToken).ConfigureAwait(false);
        HostKey = hostKey;
    }
}
