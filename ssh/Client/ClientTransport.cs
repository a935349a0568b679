using System.Text;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The client side of the SSH transport layer (RFC 4253) over any stream: version exchange, binary packets,
/// key exchange as the client (first and re-exchanges, strict kex, EXT_INFO) and the generic transport
/// messages. It shares the packet layer, ciphers and negotiation with the server's <see cref="SshTransport"/>.
/// One reader calls <see cref="ReceiveAsync"/>; any number of writers call <see cref="SendAsync"/>.
/// </summary>
internal sealed partial class ClientTransport : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly StreamInput _input;
    private readonly PacketReader _reader;
    private readonly PacketWriter _writer = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ClientTransportSettings _settings;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();

    // Messages sent while our KEXINIT was out and our NEWKEYS not yet (RFC 4253 §7.1).
    private readonly Queue<byte[]> _deferred = new();
    private bool _versionExchanged;
    private bool _disposed;

    public ClientTransport(Stream stream, ClientTransportSettings settings, ILogger logger)
    {
        _stream = stream;
        _input = new StreamInput(stream);
        _reader = new PacketReader(_input);
        _settings = settings;
        _logger = logger;
        _lastKexTimestamp = settings.TimeProvider.GetTimestamp();
    }

    public string ClientVersion => _settings.ClientVersion;

    public string ServerVersion { get; private set; } = "";

    /// <summary>H of the first key exchange (RFC 4253 §7.2).</summary>
    public byte[] SessionId { get; private set; } = [];

    /// <summary>The host key the server proved in the first key exchange.</summary>
    public SshServerHostKey? HostKey { get; private set; }

    /// <summary><c>server-sig-algs</c> from the server's EXT_INFO (RFC 8308 §3.1); null if none arrived.</summary>
    public IReadOnlyList<string>? ServerSignatureAlgorithms { get; private set; }

    /// <summary>Sends our identification and first KEXINIT, reads the server's, and runs the first key exchange.</summary>
    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(VersionExchange.Encode(ClientVersion), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _versionExchanged = true;
        ServerVersion = await ReadServerVersionAsync(cancellationToken).ConfigureAwait(false);
        LogServerVersion(_logger, ServerVersion);

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteKexInitLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        while (!_firstKexDone)
        {
            await ReceiveOrKeyExchangeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next message for the layers above (auth, connection). Transport messages are handled here: IGNORE,
    /// DEBUG, UNIMPLEMENTED and EXT_INFO are consumed, KEXINIT runs a key exchange, DISCONNECT ends the
    /// connection with an <see cref="SshPeerDisconnectedException"/>.
    /// </summary>
    public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await ReceiveOrKeyExchangeAsync(cancellationToken).ConfigureAwait(false) is { } payload)
            {
                return payload;
            }
        }
    }

    /// <summary>
    /// Queues or writes one message. While a key exchange is in progress, non-kex messages are held and
    /// written right after our NEWKEYS, so callers never wait on the server.
    /// </summary>
    public async ValueTask SendAsync(byte[] payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                throw new IOException("The SSH connection is closed.");
            }

            if (NeedsRekey())
            {
                LogRekeyStarted(_logger, _writer.BytesWritten - _bytesWrittenAtKex, _reader.BytesRead - _bytesReadAtKex);
                await WriteKexInitLockedAsync().ConfigureAwait(false);
            }

            if (_sendPaused && !SshMessage.IsKeyExchangeSafe(payload[0]))
            {
                _deferred.Enqueue(payload);
                return;
            }

            await WritePacketLockedAsync(payload).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Starts a key re-exchange now (as OpenSSH's <c>~R</c>); it completes while messages flow.</summary>
    public async ValueTask RequestRekeyAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_firstKexDone && !_sendPaused && !_disposed)
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

    /// <summary>SSH_MSG_UNIMPLEMENTED for the packet just received (RFC 4253 §11.4).</summary>
    public ValueTask SendUnimplementedAsync(CancellationToken cancellationToken) =>
        SendAsync(new SshWriter(8).WriteByte(SshMessage.Unimplemented).WriteUInt32(_reader.LastSequence).ToArray(), cancellationToken);

    /// <summary>Best effort SSH_MSG_DISCONNECT; never throws. Nothing is sent before the version exchange.</summary>
    public async Task TryDisconnectAsync(SshDisconnectReason reason, string description)
    {
        if (!_versionExchanged || _disposed)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _writeLock.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var message = new SshWriter(64 + description.Length)
                .WriteByte(SshMessage.Disconnect)
                .WriteUInt32((uint)reason)
                .WriteString(description)
                .WriteString("")
                .ToArray();
            var frame = _writer.Frame(message);
            await _stream.WriteAsync(frame, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
        {
            // The server may already be gone; the connection closes either way.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (await _writeLock.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            _writer.Cipher.Dispose();
            _writeLock.Release();
        }

        _lifetime.Dispose();
    }

    /// <summary>Disposes the receive cipher; only the reader may call this, once its loop has ended.</summary>
    public void ReleaseReader() => _reader.Cipher.Dispose();

    private async ValueTask<byte[]?> ReceiveOrKeyExchangeAsync(CancellationToken cancellationToken)
    {
        var payload = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        switch (payload[0])
        {
            case SshMessage.KexInit:
                await RunKeyExchangeAsync(payload, cancellationToken).ConfigureAwait(false);
                return null;
            case SshMessage.Disconnect or SshMessage.Ignore or SshMessage.Debug or SshMessage.Unimplemented:
                HandleGenericMessage(payload);
                return null;
            case SshMessage.ExtInfo when _firstKexDone:
                ReadExtInfo(payload);
                return null;
            case >= SshMessage.NewKeys and <= 49:
                throw SshProtocolException.Protocol($"Key exchange message {payload[0]} outside a key exchange.");
        }

        if (!_firstKexDone)
        {
            throw SshProtocolException.Protocol($"Message {payload[0]} before the first key exchange completed.");
        }

        if (NeedsRekey())
        {
            await RequestRekeyIfNeededAsync(cancellationToken).ConfigureAwait(false);
        }

        return payload;
    }

    private async ValueTask WritePacketLockedAsync(byte[] payload)
    {
        var frame = _writer.Frame(payload);
        await _stream.WriteAsync(frame, _lifetime.Token).ConfigureAwait(false);
        await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
    }
}
