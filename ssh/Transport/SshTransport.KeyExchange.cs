using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>Key exchange and re-exchange (RFC 4253 §7-9, RFC 5656, RFC 8731), strict kex and EXT_INFO.</summary>
internal sealed partial class SshTransport
{
    // OpenSSH rekeys before 2^31 packets so that non-strict sequence numbers never wrap under one key.
    private const long RekeyPackets = 1L << 31;

    private KexInitMessage? _serverKexInitMessage;
    private byte[] _serverKexInit = [];
    private bool _sendPaused;
    private bool _firstKexDone;
    private bool _strictKex;
    private bool _clientWantsExtInfo;
    private long _lastKexTimestamp;
    private long _bytesWrittenAtKex;
    private long _bytesReadAtKex;
    private long _packetsWrittenAtKex;
    private long _packetsReadAtKex;

    /// <summary>Number of completed key exchanges (1 after the handshake).</summary>
    public int KeyExchangeCount { get; private set; }

    private bool NeedsRekey() =>
        _firstKexDone && !_sendPaused &&
        (_writer.BytesWritten - _bytesWrittenAtKex >= _settings.RekeyBytes ||
         _reader.BytesRead - _bytesReadAtKex >= _settings.RekeyBytes ||
         _writer.PacketsWritten - _packetsWrittenAtKex >= RekeyPackets ||
         _reader.PacketsRead - _packetsReadAtKex >= RekeyPackets ||
         _settings.TimeProvider.GetElapsedTime(_lastKexTimestamp) >= _settings.RekeyInterval);

    private async ValueTask StartRekeyAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (NeedsRekey())
            {
                LogRekeyStarted(_logger, _writer.BytesWritten - _bytesWrittenAtKex, _reader.BytesRead - _bytesReadAtKex);
                await WriteKexInitLockedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteKexInitLockedAsync()
    {
        // The pseudo-algorithms only mean something in the first KEXINIT.
        string[] extra = _firstKexDone ? [] : [KexInitMessage.ExtInfoServer, KexInitMessage.StrictKexServer];
        _serverKexInitMessage = new KexInitMessage
        {
            KeyExchange = [.. _settings.KeyExchangeAlgorithms, .. extra],
            HostKey = [.. _settings.HostKeys.Algorithms],
            CiphersClientToServer = [.. _settings.Ciphers],
            CiphersServerToClient = [.. _settings.Ciphers],
            MacsClientToServer = [.. _settings.Macs],
            MacsServerToClient = [.. _settings.Macs],
            CompressionClientToServer = ["none"],
            CompressionServerToClient = ["none"],
        };
        _serverKexInit = _serverKexInitMessage.Encode();
        await WritePacketLockedAsync(_serverKexInit).ConfigureAwait(false);
        _sendPaused = true;
    }

    private async Task RunKeyExchangeAsync(byte[] clientKexInit, CancellationToken cancellationToken)
    {
        var client = KexInitMessage.Decode(clientKexInit);
        if (!_firstKexDone)
        {
            _strictKex = client.KeyExchange.Contains(KexInitMessage.StrictKexClient);
            _clientWantsExtInfo = client.KeyExchange.Contains(KexInitMessage.ExtInfoClient);
            if (_strictKex && _reader.LastSequence != 0)
            {
                throw SshProtocolException.Protocol("Strict key exchange: the client's KEXINIT was not its first packet.");
            }
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_sendPaused)
            {
                await WriteKexInitLockedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        var negotiated = NegotiatedAlgorithms.Negotiate(client, _serverKexInitMessage!);
        LogNegotiated(_logger, KeyExchangeCount + 1, negotiated.ToString(), _strictKex);
        if (client.FirstKexPacketFollows && !negotiated.GuessedRight(client))
        {
            await ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        }

        var init = await ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
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

        var (outgoing, incoming) = ComputeKeys(negotiated, clientKexInit, clientPublic, out var reply);
        await SendReplyAndNewKeysAsync(reply, outgoing, cancellationToken).ConfigureAwait(false);

        var newKeys = await ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        if (newKeys is not [SshMessage.NewKeys])
        {
            incoming.Dispose();
            throw SshProtocolException.Protocol($"Expected NEWKEYS, got message {newKeys[0]}.");
        }

        _reader.Cipher.Dispose();
        _reader.Cipher = incoming;
        if (_strictKex)
        {
            _reader.Sequence = 0;
        }

        _firstKexDone = true;
        KeyExchangeCount++;
        _lastKexTimestamp = _settings.TimeProvider.GetTimestamp();
        _bytesReadAtKex = _reader.BytesRead;
        _packetsReadAtKex = _reader.PacketsRead;
    }

    private (PacketCipher Outgoing, PacketCipher Incoming) ComputeKeys(
        NegotiatedAlgorithms negotiated, byte[] clientKexInit, byte[] clientPublic, out byte[] reply)
    {
        using var agreement = negotiated.KeyExchange.CreateAgreement();
        var secret = agreement.DeriveSharedSecret(clientPublic);
        try
        {
            var (hostKeyBlob, hostKey, signatureAlgorithm) = _settings.HostKeys.Get(negotiated.HostKey);
            var hash = negotiated.KeyExchange.Hash;
            var exchangeHash = KeyDerivation.ExchangeHash(
                hash, ClientVersion, ServerVersion, clientKexInit, _serverKexInit, hostKeyBlob, clientPublic, agreement.PublicKey, secret);
            if (SessionId.Length == 0)
            {
                SessionId = exchangeHash;
            }

            reply = new SshWriter(1024)
                .WriteByte(SshMessage.KexEcdhReply)
                .WriteString(hostKeyBlob)
                .WriteString(agreement.PublicKey)
                .WriteString(hostKey.Sign(exchangeHash, signatureAlgorithm))
                .ToArray();
            var keys = new KeyDerivation(hash, secret, exchangeHash, SessionId);
            return (keys.CreateCipher(negotiated.CipherOut, negotiated.MacOut, clientToServer: false),
                    keys.CreateCipher(negotiated.CipherIn, negotiated.MacIn, clientToServer: true));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private async ValueTask SendReplyAndNewKeysAsync(byte[] reply, PacketCipher outgoing, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WritePacketLockedAsync(reply).ConfigureAwait(false);
            await WritePacketLockedAsync([SshMessage.NewKeys]).ConfigureAwait(false);
            _writer.Cipher.Dispose();
            _writer.Cipher = outgoing;
            if (_strictKex)
            {
                _writer.Sequence = 0;
            }

            // RFC 8308 §2.4: EXT_INFO goes first after the first NEWKEYS.
            if (!_firstKexDone && _clientWantsExtInfo)
            {
                await WritePacketLockedAsync(ExtInfo()).ConfigureAwait(false);
            }

            // The new keys' byte budget starts at our NEWKEYS, so the packets deferred during the exchange count
            // against it (they are sent under the new keys).
            _bytesWrittenAtKex = _writer.BytesWritten;
            _packetsWrittenAtKex = _writer.PacketsWritten;
            _sendPaused = false;
            while (_deferred.TryDequeue(out var payload))
            {
                await WritePacketLockedAsync(payload).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next packet of a key exchange in progress; only generic transport messages may interleave.</summary>
    private async ValueTask<byte[]> ReadKeyExchangeMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var payload = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            switch (payload[0])
            {
                case SshMessage.Disconnect or SshMessage.Ignore or SshMessage.Debug or SshMessage.Unimplemented:
                    HandleGenericMessage(payload);
                    continue;
                case SshMessage.NewKeys or (>= SshMessage.KexEcdhInit and <= 49):
                    return payload;
                default:
                    throw SshProtocolException.Protocol($"Message {payload[0]} during key exchange.");
            }
        }
    }

    private byte[] ExtInfo() =>
        new SshWriter(256)
            .WriteByte(SshMessage.ExtInfo)
            .WriteUInt32(1)
            .WriteString("server-sig-algs")
            .WriteString(string.Join(',', _settings.ServerSignatureAlgorithms))
            .ToArray();
}
