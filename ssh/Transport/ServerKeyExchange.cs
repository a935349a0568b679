using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// The server's half of key exchange: it answers KEX_ECDH_INIT with its host key and its signature of the
/// exchange hash (RFC 5656 §4, RFC 8731) and sends EXT_INFO with <c>server-sig-algs</c> (RFC 8308).
/// </summary>
internal sealed class ServerKeyExchange(HostKeySet hostKeys, IReadOnlyList<string> serverSignatureAlgorithms, Func<string, bool>? relayPreface = null) : KeyExchangeRole
{
    private bool _clientWantsExtInfo;

    public override bool IsClient => false;

    public override string Version => VersionExchange.ServerVersion;

    public override IReadOnlyList<string> HostKeyAlgorithms => hostKeys.Algorithms;

    public override ValueTask<string> ReadPeerVersionAsync(StreamInput input, CancellationToken cancellationToken) =>
        VersionExchange.ReadClientVersionAsync(input, relayPreface, cancellationToken);

    public override void OnFirstPeerKexInit(KexInitMessage peer) =>
        _clientWantsExtInfo = peer.KeyExchange.Contains(KexInitMessage.ExtInfoClient);

    public override async ValueTask<(PacketCipher Outgoing, PacketCipher Incoming)> ExchangeAsync(
        SshTransport transport, NegotiatedAlgorithms negotiated, CancellationToken cancellationToken)
    {
        var init = await transport.ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        if (init[0] != SshMessage.KexEcdhInit)
        {
            throw SshProtocolException.Protocol($"Expected KEX_ECDH_INIT, got message {init[0]}.");
        }

        byte[] clientPublic;
        try
        {
            var reader = new SshReader(init);
            reader.ReadByte();
            clientPublic = reader.ReadString().ToArray();
            reader.EnsureEnd("KEX_ECDH_INIT");
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed KEX_ECDH_INIT: {ex.Message}", ex);
        }

        using var agreement = negotiated.KeyExchange.CreateAgreement();
        var secret = agreement.DeriveSharedSecret(clientPublic);
        byte[] reply;
        (PacketCipher Outgoing, PacketCipher Incoming) ciphers;
        try
        {
            var (hostKeyBlob, hostKey, signatureAlgorithm) = hostKeys.Get(negotiated.HostKey);
            var exchangeHash = transport.ExchangeHash(negotiated, hostKeyBlob, clientPublic, agreement.PublicKey, secret);
            reply = new SshWriter(1024)
                .WriteByte(SshMessage.KexEcdhReply)
                .WriteString(hostKeyBlob)
                .WriteString(agreement.PublicKey)
                .WriteString(hostKey.Sign(exchangeHash, signatureAlgorithm))
                .ToArray();
            ciphers = transport.DeriveCiphers(negotiated, secret, exchangeHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        await transport.SendAsync(reply, cancellationToken).ConfigureAwait(false);
        return ciphers;
    }

    /// <summary>RFC 8308 §2.4: EXT_INFO goes first after the first NEWKEYS, to a client that offered ext-info-c.</summary>
    public override byte[]? FirstMessageUnderNewKeys() => !_clientWantsExtInfo ? null
        : new SshWriter(256)
            .WriteByte(SshMessage.ExtInfo)
            .WriteUInt32(1)
            .WriteString("server-sig-algs")
            .WriteString(string.Join(',', serverSignatureAlgorithms))
            .ToArray();
}
