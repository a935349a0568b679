using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// The SSH transport layer (RFC 4253) over any stream, for the client and the server alike: version exchange,
/// binary packets, key exchange and re-exchange, and the generic transport messages. What differs between the
/// roles is the <see cref="KeyExchangeRole"/>. One reader calls <see cref="ReceiveAsync"/>; any number of writers
/// call <see cref="SendAsync"/>.
/// </summary>
internal sealed partial class SshTransport : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly StreamInput _input;
    private readonly PacketReader _reader;
    private readonly PacketWriter _writer = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TransportSettings _settings;
    private readonly KeyExchangeRole _role;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();

    // Messages the application sent while our KEXINIT was out and our NEWKEYS not yet (RFC 4253 §7.1).
    private readonly Queue<byte[]> _deferred = new();
    private string _peerVersion = "";
    private bool _versionExchanged;
    private bool _disposed;

    public SshTransport(Stream stream, TransportSettings settings, KeyExchangeRole role, ILogger logger)
    {
        _stream = stream;
        _input = new StreamInput(stream);
        _reader = new PacketReader(_input);
        _settings = settings;
        _role = role;
        _logger = logger;
        _lastKexTimestamp = settings.TimeProvider.GetTimestamp();
    }

    public string ClientVersion => _role.IsClient ? _role.Version : _peerVersion;

    public string ServerVersion => _role.IsClient ? _peerVersion : _role.Version;

    /// <summary>H of the first key exchange (RFC 4253 §7.2).</summary>
    public byte[] SessionId { get; private set; } = [];

    /// <summary>Sends our identification and first KEXINIT, reads the peer's, and runs the first key exchange.</summary>
    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(VersionExchange.Encode(_role.Version), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _peerVersion = await _role.ReadPeerVersionAsync(_input, cancellationToken).ConfigureAwait(false);
        _versionExchanged = true;
        LogPeerVersion(_logger, _peerVersion);

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
    /// The next message for the layers above (service, auth, connection). Transport messages are handled
    /// here: IGNORE, DEBUG, UNIMPLEMENTED and EXT_INFO are consumed, KEXINIT runs a key exchange, DISCONNECT
    /// ends the connection with an <see cref="SshPeerDisconnectedException"/>.
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
    /// written right after our NEWKEYS, so callers never wait on the peer (the reader may be the caller).
    /// </summary>
    public ValueTask SendAsync(byte[] payload, CancellationToken cancellationToken) =>
        SendAsync(payload, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>
    /// <see cref="SendAsync(byte[], CancellationToken)"/> for a payload given in two parts (a message's fields, then
    /// its data), which are framed as one packet without being joined first. Performance: CHANNEL_DATA is framed
    /// straight from the caller's buffer, without a copy into a message array per packet.
    /// </summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                // Callers (channel programs) treat a closed connection like a closed pipe.
                throw new IOException("The SSH connection is closed.");
            }

            if (NeedsRekey())
            {
                await StartRekeyLockedAsync().ConfigureAwait(false);
            }

            if (_sendPaused && !SshMessage.IsKeyExchangeSafe(head.Span[0]))
            {
                _deferred.Enqueue([.. head.Span, .. body.Span]);
                return;
            }

            var frame = _writer.Frame(head.Span, body.Span);
            await _stream.WriteAsync(frame, _lifetime.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Gives back the array of a received payload (or of data sliced from it) that nobody holds any more, for the next
    /// packet of the same size. Only the connection's reader may call this, before it receives the next message.
    /// </summary>
    public void ReleaseReceived(ReadOnlyMemory<byte> data)
    {
        if (MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is { } payload)
        {
            _reader.Recycle(payload);
        }
    }

    /// <summary>SSH_MSG_UNIMPLEMENTED for the packet just received (RFC 4253 §11.4).</summary>
    public ValueTask SendUnimplementedAsync(CancellationToken cancellationToken) =>
        SendAsync(new SshWriter(8).WriteByte(SshMessage.Unimplemented).WriteUInt32(_reader.LastSequence).ToArray(), cancellationToken);

    /// <summary>
    /// Refuses the client before any key exchange: our identification, then a DISCONNECT in the clear (RFC 4253
    /// allows it; OpenSSH prints the description). Best effort; never throws.
    /// </summary>
    public async Task RefuseAsync(SshDisconnectReason reason, string description, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(VersionExchange.Encode(ServerVersion), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        _versionExchanged = true;
        await TryDisconnectAsync(reason, description).ConfigureAwait(false);
    }

    /// <summary>Best effort SSH_MSG_DISCONNECT; never throws. Nothing is sent before the version exchange completed.</summary>
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
            // The peer may already be gone; the connection closes either way.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the stream; the receive cipher stays with the reader (see <see cref="ReleaseReader"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        // A writer may still hold the cipher, so take the lock first.
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
                _role.OnExtInfo(payload);
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
            await StartRekeyAsync(cancellationToken).ConfigureAwait(false);
        }

        return payload;
    }

    private void HandleGenericMessage(byte[] payload)
    {
        // Strict kex (Terrapin countermeasure): nothing but kex messages until the first NEWKEYS.
        if (_strictKex && !_firstKexDone && payload[0] != SshMessage.Disconnect)
        {
            throw SshProtocolException.Protocol($"Message {payload[0]} during the initial strict key exchange.");
        }

        var reader = new SshReader(payload);
        reader.ReadByte();
        try
        {
            switch (payload[0])
            {
                case SshMessage.Disconnect:
                    var reason = (SshDisconnectReason)reader.ReadUInt32();
                    var description = Encoding.UTF8.GetString(reader.ReadString());
                    throw new SshPeerDisconnectedException(reason, description);
                case SshMessage.Debug:
                    reader.ReadBoolean();
                    LogPeerDebug(_logger, Encoding.UTF8.GetString(reader.ReadString()));
                    break;
                case SshMessage.Unimplemented:
                    LogPeerUnimplemented(_logger, reader.ReadUInt32());
                    break;
            }
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed transport message {payload[0]}: {ex.Message}", ex);
        }
    }

    private async ValueTask WritePacketLockedAsync(byte[] payload)
    {
        var frame = _writer.Frame(payload);
        await _stream.WriteAsync(frame, _lifetime.Token).ConfigureAwait(false);
        await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
    }
}
