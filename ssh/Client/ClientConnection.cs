using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The client side of the connection protocol (RFC 4254): one reader loop dispatching channel messages and
/// global request replies, channel numbers, keep-alives, and the end of the connection. Global requests of the server
/// are refused explicitly; channels it opens are accepted only as <see cref="IncomingChannels"/> decides.
/// </summary>
internal sealed partial class ClientConnection : IAsyncDisposable
{
    private readonly SshTransport _transport;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<uint, ClientChannel> _channels = new();
    private readonly Queue<TaskCompletionSource<byte[]?>> _globalReplies = new();
    private readonly SemaphoreSlim _globalRequestLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<SshConnectionException?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;
    private SshConnectionException? _failure;
    private uint _nextChannelId;
    private long _lastReceived;
    private bool _closing;

    public ClientConnection(SshTransport transport, TimeProvider timeProvider, ILogger logger)
    {
        _transport = transport;
        _timeProvider = timeProvider;
        _logger = logger;
        _lastReceived = timeProvider.GetTimestamp();
    }

    /// <summary>Completes when the connection ended: null if we closed it, otherwise why it ended.</summary>
    public Task<SshConnectionException?> Closed => _closed.Task;

    public void Start(TimeSpan keepAliveInterval, int keepAliveCountMax)
    {
        _readLoop = Task.Run(ReadLoopAsync);
        if (keepAliveInterval != Timeout.InfiniteTimeSpan)
        {
            _keepAliveLoop = Task.Run(() => KeepAliveLoopAsync(keepAliveInterval, keepAliveCountMax));
        }
    }

    public async ValueTask SendAsync(byte[] payload, CancellationToken cancellationToken)
    {
        if (_failure is { } failure)
        {
            throw SshConnectionException.From(failure);
        }

        await _transport.SendAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a channel of <paramref name="type"/> with type-specific data and waits for the server's answer.</summary>
    public async Task<ClientChannel> OpenChannelAsync(string type, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextChannelId) - 1;
        var channel = new ClientChannel(this, id, type);
        _channels[id] = channel;
        if (_failure is { } failure)
        {
            channel.Abort(failure);
        }

        var open = new SshWriter(64 + data.Length)
            .WriteByte(SshMessage.ChannelOpen)
            .WriteString(type)
            .WriteUInt32(id)
            .WriteUInt32(ClientChannel.InitialWindowSize)
            .WriteUInt32(ClientChannel.MaxPacketSize)
            .WriteRaw(data.Span)
            .ToArray();
        try
        {
            await SendAsync(open, cancellationToken).ConfigureAwait(false);
            await channel.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Too late to take the open back: close the channel once the server answers.
            _ = channel.Opened.ContinueWith(_ => channel.SendCloseAsync().AsTask(), TaskScheduler.Default);
            throw;
        }

        LogChannelOpened(_logger, type, id, channel.RemoteId);
        return channel;
    }

    /// <summary>Sends a global request; with <paramref name="wantReply"/>, returns whether the server answered REQUEST_SUCCESS.</summary>
    public async Task<bool> SendGlobalRequestAsync(string name, bool wantReply, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        !wantReply || await RequestAsync(name, data, wantReply, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Sends a global request wanting a reply: the REQUEST_SUCCESS payload (after the message byte), or null on REQUEST_FAILURE.</summary>
    public Task<byte[]?> RequestAsync(string name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        RequestAsync(name, data, wantReply: true, cancellationToken);

    private async Task<byte[]?> RequestAsync(string name, ReadOnlyMemory<byte> data, bool wantReply, CancellationToken cancellationToken)
    {
        var message = new SshWriter(64 + data.Length)
            .WriteByte(SshMessage.GlobalRequest)
            .WriteString(name)
            .WriteBoolean(wantReply)
            .WriteRaw(data.Span)
            .ToArray();
        TaskCompletionSource<byte[]?>? reply = null;
        await _globalRequestLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (wantReply)
            {
                reply = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    if (_failure is { } failure)
                    {
                        throw SshConnectionException.From(failure);
                    }

                    _globalReplies.Enqueue(reply);
                }
            }

            await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _globalRequestLock.Release();
        }

        return reply is null ? [] : await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Remove(ClientChannel channel) => _channels.TryRemove(channel.LocalId, out _);

    /// <summary>Sends DISCONNECT (by application) and ends the connection; open channels end with it.</summary>
    public async Task CloseAsync()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
        }

        await _transport.TryDisconnectAsync(SshDisconnectReason.ByApplication, "Closed by the client.").ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_readLoop, _keepAliveLoop).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        SshConnectionException? failure = null;
        try
        {
            while (true)
            {
                var payload = await _transport.ReceiveAsync(_stopping.Token).ConfigureAwait(false);
                Volatile.Write(ref _lastReceived, _timeProvider.GetTimestamp());
                await DispatchAsync(payload).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (_closing)
        {
            LogClosed(_logger, ex.GetType().Name);
        }
        catch (SshProtocolException ex)
        {
            failure = new SshConnectionException($"SSH protocol error: {ex.Message}", ex.Reason, ex);
            LogConnectionFailed(_logger, failure.Message);
            await _transport.TryDisconnectAsync(ex.Reason, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = SshClient.Translate(ex);
            LogConnectionFailed(_logger, failure.Message);
        }
        finally
        {
            _transport.ReleaseReader();
        }

        Fail(failure ?? new SshConnectionException("The connection was closed by the client.", SshDisconnectReason.ByApplication));
        _closed.TrySetResult(failure);
        if (failure is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Fails every channel and pending request with <paramref name="failure"/>.</summary>
    private void Fail(SshConnectionException failure)
    {
        List<TaskCompletionSource<byte[]?>> replies;
        lock (_gate)
        {
            _failure ??= failure;
            replies = [.. _globalReplies];
            _globalReplies.Clear();
        }

        foreach (var reply in replies)
        {
            reply.TrySetException(failure);
        }

        foreach (var channel in _channels.Values)
        {
            channel.Abort(failure);
        }
    }

    private async Task KeepAliveLoopAsync(TimeSpan interval, int countMax)
    {
        var missed = 0;
        var lastSeen = Volatile.Read(ref _lastReceived);
        try
        {
            while (true)
            {
                await Task.Delay(interval, _timeProvider, _stopping.Token).ConfigureAwait(false);
                var received = Volatile.Read(ref _lastReceived);
                if (received != lastSeen)
                {
                    lastSeen = received;
                    missed = 0;
                    continue;
                }

                if (++missed > countMax)
                {
                    LogKeepAliveTimeout(_logger, countMax);
                    var timeout = new SshConnectionException($"The server did not answer {countMax} keep-alives.", SshDisconnectReason.ConnectionLost);
                    Fail(timeout);
                    _closed.TrySetResult(timeout);
                    await _transport.TryDisconnectAsync(SshDisconnectReason.ConnectionLost, "Keep-alive timeout.").ConfigureAwait(false);
                    await _stopping.CancelAsync().ConfigureAwait(false);
                    await _transport.DisposeAsync().ConfigureAwait(false);
                    return;
                }

                // Any reply (sshd answers REQUEST_FAILURE) counts as a sign of life through the reader loop.
                _ = SendGlobalRequestAsync("keepalive@openssh.com", wantReply: true, default, _stopping.Token)
                    .ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The connection is closing.
        }
    }
}
