using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// Key exchange and re-exchange (RFC 4253 §7-9), strict kex and the rekey limits; the ECDH messages
/// themselves are the <see cref="KeyExchangeRole"/>'s.
/// </summary>
internal sealed partial class SshTransport
{
    // As OpenSSH: rekey before 2^31 packets so that non-strict sequence numbers never wrap under one key.
    private const long RekeyPackets = 1L << 31;

    private KexInitMessage? _ourKexInitMessage;
    private byte[] _ourKexInit = [];
    private byte[] _peerKexInit = [];
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

    /// <summary>Starts a key re-exchange now (as OpenSSH's <c>~R</c>); it completes while messages flow.</summary>
    public async ValueTask RequestRekeyAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_firstKexDone && !_sendPaused && !Volatile.Read(ref _inKeyExchange) && !_disposed)
            {
                await StartRekeyLockedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>H = HASH(V_C || V_S || I_C || I_S || K_S || Q_C || Q_S || K) of the exchange in progress.</summary>
    internal byte[] ExchangeHash(NegotiatedAlgorithms negotiated, byte[] hostKeyBlob, byte[] clientPublic, byte[] serverPublic, byte[] secret)
    {
        var (clientKexInit, serverKexInit) = _role.IsClient ? (_ourKexInit, _peerKexInit) : (_peerKexInit, _ourKexInit);
        return KeyDerivation.ExchangeHash(
            negotiated.KeyExchange.Hash, ClientVersion, ServerVersion, clientKexInit, serverKexInit, hostKeyBlob, clientPublic, serverPublic, secret);
    }

    /// <summary>The ciphers of both directions (RFC 4253 §7.2); the first exchange hash becomes the session id.</summary>
    internal (PacketCipher Outgoing, PacketCipher Incoming) DeriveCiphers(NegotiatedAlgorithms negotiated, byte[] secret, byte[] exchangeHash)
    {
        if (SessionId.Length == 0)
        {
            SessionId = exchangeHash;
        }

        // The negotiation names directions from the server's side: "in" is client-to-server.
        var keys = new KeyDerivation(negotiated.KeyExchange.Hash, secret, exchangeHash, SessionId);
        var toServer = keys.CreateCipher(negotiated.CipherIn, negotiated.MacIn, clientToServer: true);
        var toClient = keys.CreateCipher(negotiated.CipherOut, negotiated.MacOut, clientToServer: false);
        return _role.IsClient ? (toServer, toClient) : (toClient, toServer);
    }

    /// <summary>The next packet of a key exchange in progress; only generic transport messages may interleave.</summary>
    internal async ValueTask<byte[]> ReadKeyExchangeMessageAsync(CancellationToken cancellationToken)
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

    private bool NeedsRekey() =>
        _firstKexDone && !_sendPaused && !Volatile.Read(ref _inKeyExchange) &&
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
                await StartRekeyLockedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private ValueTask StartRekeyLockedAsync()
    {
        LogRekeyStarted(_logger, _writer.BytesWritten - _bytesWrittenAtKex, _reader.BytesRead - _bytesReadAtKex);
        return WriteKexInitLockedAsync();
    }

    private async ValueTask WriteKexInitLockedAsync()
    {
        // The pseudo-algorithms only mean something in the first KEXINIT.
        string[] extra = _firstKexDone ? []
            : _role.IsClient ? [KexInitMessage.ExtInfoClient, KexInitMessage.StrictKexClient]
            : [KexInitMessage.ExtInfoServer, KexInitMessage.StrictKexServer];
        _ourKexInitMessage = new KexInitMessage
        {
            KeyExchange = [.. _settings.KeyExchangeAlgorithms, .. extra],
            HostKey = [.. _role.HostKeyAlgorithms],
            CiphersClientToServer = [.. _settings.Ciphers],
            CiphersServerToClient = [.. _settings.Ciphers],
            MacsClientToServer = [.. _settings.Macs],
            MacsServerToClient = [.. _settings.Macs],
            CompressionClientToServer = ["none"],
            CompressionServerToClient = ["none"],
        };
        _ourKexInit = _ourKexInitMessage.Encode();
        await WritePacketLockedAsync(_ourKexInit).ConfigureAwait(false);
        _sendPaused = true;
    }

    private async Task RunKeyExchangeAsync(byte[] peerKexInit, CancellationToken cancellationToken)
    {
        var peer = KexInitMessage.Decode(peerKexInit);
        _peerKexInit = peerKexInit;
        Volatile.Write(ref _inKeyExchange, true);
        if (!_firstKexDone)
        {
            _strictKex = peer.KeyExchange.Contains(_role.IsClient ? KexInitMessage.StrictKexServer : KexInitMessage.StrictKexClient);
            _role.OnFirstPeerKexInit(peer);
            if (_strictKex && _reader.LastSequence != 0)
            {
                throw SshProtocolException.Protocol($"Strict key exchange: the {(_role.IsClient ? "server" : "client")}'s KEXINIT was not its first packet.");
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

        var negotiated = _role.IsClient ? NegotiatedAlgorithms.Negotiate(_ourKexInitMessage!, peer) : NegotiatedAlgorithms.Negotiate(peer, _ourKexInitMessage!);
        LogNegotiated(_logger, KeyExchangeCount + 1, negotiated.Describe(_role.IsClient), _strictKex);
        if (peer.FirstKexPacketFollows && !negotiated.GuessedRight(peer))
        {
            await ReadKeyExchangeMessageAsync(cancellationToken).ConfigureAwait(false);
        }

        var (outgoing, incoming) = await _role.ExchangeAsync(this, negotiated, cancellationToken).ConfigureAwait(false);
        _peerKexInit = []; // hashed; an idle connection need not keep it
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

            if (!_firstKexDone && _role.FirstMessageUnderNewKeys() is { } first)
            {
                await WritePacketLockedAsync(first).ConfigureAwait(false);
            }

            // The new keys' budget starts at our NEWKEYS, so the packets deferred during the exchange count
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
}
