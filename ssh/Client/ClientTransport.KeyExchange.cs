using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>Key exchange as the client (RFC 4253 §7-9, RFC 5656 §4, RFC 8731), strict kex and ext-info-c.</summary>
internal sealed partial class ClientTransport
{
    // As OpenSSH: rekey before 2^31 packets so that non-strict sequence numbers never wrap under one key.
    private const long RekeyPackets = 1L << 31;

    private byte[] _clientKexInit = [];
    private KexInitMessage? _clientKexInitMessage;
    private bool _sendPaused;
    private bool _firstKexDone;
    private bool _strictKex;
    private bool _inKeyExchange;
    private long _lastKexTimestamp;
    private long _bytesWrittenAtKex;
    private long _bytesReadAtKex;
    private long _packetsWrittenAtKex;
    private long _packetsReadAtKex;

    /// <summary>Number of completed key exchanges (1 after the handshake).</summary>
    public int KeyExchangeCount { get; private set; }

    /// <summary>The algorithms of the most recent key exchange.</summary>
    public NegotiatedAlgorithms? Negotiated { get; private set; }

    private bool NeedsRekey() =>
        _firstKexDone && !_sendPaused && !Volatile.Read(ref _inKeyExchange) &&
        (_writer.BytesWritten - _bytesWrittenAtKex >= _settings.RekeyBytes ||
         _reader.BytesRead - _bytesReadAtKex >= _settings.RekeyBytes ||
         _writer.PacketsWritten - _packetsWrittenAtKex >= RekeyPackets ||
         _reader.PacketsRead - _packetsReadAtKex >= RekeyPackets ||
         _settings.TimeProvider.GetElapsedTime(_lastKexTimestamp) >= _settings.RekeyInterval);

    private async ValueTask RequestRekeyIfNeededAsync(CancellationToken cancellationToken)
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
        string[] extra = _firstKexDone ? [] : [KexInitMessage.ExtInfoClient, KexInitMessage.StrictKexClient];
        _clientKexInitMessage = new KexInitMessage
        {
            KeyExchange = [.. _settings.KeyExchangeAlgorithms, .. extra],
            HostKey = [.. _settings.HostKeyAlgorithms],
            CiphersClientToServer = [.. _settings.Ciphers],
            CiphersServerToClient = [.. _settings.Ciphers],
            MacsClientToServer = [.. _settings.Macs],
            MacsServerToClient = [.. _settings.Macs],
            CompressionClientToServer = ["none"],
            CompressionServerToClient = ["none"],
        };
        _clientKexInit = _clientKexInitMessage.Encode();
        await WritePacketLockedAsync(_clientKexInit).ConfigureAwait(false);
        _sendPaused = true;
    }

    private async Task RunKeyExchangeAsync(byte[] serverKexInit, CancellationToken cancellationToken)
    {
        var server = KexInitMessage.Decode(serverKexInit);
        Volatile.Write(ref _inKeyExchange, true);
        if (!_firstKexDone)
        {
            _strictKex = server.KeyExchange.Contains(KexInitMessage.StrictKexServer);
            if (_strictKex && _reader.LastSequence != 0)
            {
                throw SshProtocolException.Protocol("Strict key exchange: the server's KEXINIT was not its first packet.");
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

        var negotiated = NegotiatedAlgorithms.Negotiate(_clientKexInitMessage!, server);
        LogNegotiated(_logger, KeyExchangeCount + 1, SshNegotiatedAlgorithms.From(negotiated).ToString(), _strictKex);
        if (server.FirstKexPacketFollows && !GuessedRight(server, negotiated))
        {
            await ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        }

        using var agreement = negotiated.KeyExchange.CreateAgreement();
        var init = new SshWriter(160).WriteByte(SshMessage.KexEcdhInit).WriteString(agreement.PublicKey).ToArray();
        await SendAsync(init, cancellationToken).ConfigureAwait(false);

        var reply = await ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        if (reply[0] != SshMessage.KexEcdhReply)
        {
            throw SshProtocolException.Protocol($"Expected KEX_ECDH_REPLY, got message {reply[0]}.");
        }

        var (outgoing, incoming) = await ComputeKeysAsync(negotiated, agreement, serverKexInit, reply, cancellationToken).ConfigureAwait(false);
        await SendNewKeysAsync(outgoing, cancellationToken).ConfigureAwait(false);

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

        // The limits count from the packets under the new keys in each direction.
        _bytesReadAtKex = _reader.BytesRead;
        _packetsReadAtKex = _reader.PacketsRead;
        _lastKexTimestamp = _settings.TimeProvider.GetTimestamp();
        _firstKexDone = true;
        Negotiated = negotiated;
        KeyExchangeCount++;
        Volatile.Write(ref _inKeyExchange, false);
    }

    /// <summary>The server's guess is right only if its first kex and host key entries were chosen (RFC 4253 §7).</summary>
    private static bool GuessedRight(KexInitMessage server, NegotiatedAlgorithms negotiated) =>
        server.KeyExchange.FirstOrDefault() == negotiated.KeyExchange.Name && server.HostKey.FirstOrDefault() == negotiated.HostKey;

    private async ValueTask<(PacketCipher Outgoing, PacketCipher Incoming)> ComputeKeysAsync(
        NegotiatedAlgorithms negotiated, KeyAgreement agreement, byte[] serverKexInit, byte[] reply, CancellationToken cancellationToken)
    {
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
            var hash = negotiated.KeyExchange.Hash;
            var exchangeHash = KeyDerivation.ExchangeHash(
                hash, ClientVersion, ServerVersion, _clientKexInit, serverKexInit, hostKeyBlob, agreement.PublicKey, serverPublic, secret);
            if (!SshSignatureBlob.TryDecode(signature, out var signedWith, out _) || signedWith != signatureAlgorithm ||
                !hostKey.PublicKey.Verify(exchangeHash, signature))
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"The server's {negotiated.HostKey} signature of the exchange hash does not verify.");
            }

            await CheckHostKeyAsync(hostKey, cancellationToken).ConfigureAwait(false);
            if (SessionId.Length == 0)
            {
                SessionId = exchangeHash;
            }

            var keys = new KeyDerivation(hash, secret, exchangeHash, SessionId);
            return (keys.CreateCipher(negotiated.CipherIn, negotiated.MacIn, clientToServer: true),
                    keys.CreateCipher(negotiated.CipherOut, negotiated.MacOut, clientToServer: false));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
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

            return new SshServerHostKey(_settings.HostName, algorithm, key, certificate);
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

        await _settings.VerifyHostKey(hostKey, cancellationToken).ConfigureAwait(false);
        HostKey = hostKey;
    }

    private async ValueTask SendNewKeysAsync(PacketCipher outgoing, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WritePacketLockedAsync([SshMessage.NewKeys]).ConfigureAwait(false);
            _writer.Cipher.Dispose();
            _writer.Cipher = outgoing;
            if (_strictKex)
            {
                _writer.Sequence = 0;
            }

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
}
