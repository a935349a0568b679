using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// One channel the client opened (RFC 4254 §5): window accounting both ways, data and stderr as streams,
/// requests with replies matched in order, exit status, and the close handshake. The channel number is freed
/// only once both sides have sent CLOSE.
/// </summary>
internal sealed partial class ClientChannel : IChannelMessageHandler
{
    /// <summary>Our receive window per channel, as OpenSSH uses for sessions.</summary>
    public const uint InitialWindowSize = 2 * 1024 * 1024;

    /// <summary>The largest data payload we accept per packet.</summary>
    public const uint MaxPacketSize = 32 * 1024;

    private readonly ClientConnection _connection;
    private readonly ReceiveWindow _receiveWindow;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<TaskCompletionSource<bool>> _pendingReplies = new();
    private readonly SemaphoreSlim _requestLock = new(1, 1);

    // Nothing may follow our CLOSE (the server frees the channel number once both are out), so EOF, WINDOW_ADJUST
    // and CLOSE are each checked and sent under this lock: an application thread cannot send one after the
    // reader's CLOSE.
    private readonly SemaphoreSlim _endLock = new(1, 1);
    private readonly Lock _gate = new();
    private ChannelWindow _remoteWindow = new(0);
    private int _chunkSize;
    private SshExitStatus? _exitStatus;
    private Exception? _failure;
    private bool _eofReceived;
    private bool _closeReceived;
    private bool _eofSent;
    private bool _closeSent;
    private bool _finished;

    public ClientChannel(ClientConnection connection, uint localId, string type)
    {
        _connection = connection;
        LocalId = localId;
        Type = type;
        _receiveWindow = new ReceiveWindow(InitialWindowSize, SendWindowAdjustAsync);
        Output = new ChannelReadStream(_receiveWindow);
        Error = new ChannelReadStream(_receiveWindow);
        Input = new ChannelWriteStream(SendDataAsync, SendEofAsync);
    }

    public uint LocalId { get; }

    public uint RemoteId { get; private set; }

    public string Type { get; }

    /// <summary>Channel data from the server.</summary>
    public ChannelReadStream Output { get; }

    /// <summary>Extended data of type 1 (stderr) from the server.</summary>
    public ChannelReadStream Error { get; }

    /// <summary>Channel data to the server; disposing it sends EOF.</summary>
    public ChannelWriteStream Input { get; }

    /// <summary>Completes when the server confirmed the channel; faults with the refusal.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes (never faults) once both sides sent CLOSE, or the connection ended (see <see cref="Failure"/>).</summary>
    public Task Closed => _closed.Task;

    /// <summary>The exit status or signal the server reported; meaningful once <see cref="Closed"/> completed.</summary>
    public SshExitStatus ExitStatus => _exitStatus ?? SshExitStatus.None;

    /// <summary>Why the channel ended abnormally (connection lost); null otherwise.</summary>
    public Exception? Failure => _failure;

    public void OnOpenConfirmed(uint remoteId, uint window, uint maxPacket)
    {
        if (_opened.Task.IsCompleted)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: second open confirmation.");
        }

        if (maxPacket == 0)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: a maximum packet size of 0 cannot carry data.");
        }

        RemoteId = remoteId;
        _remoteWindow = new ChannelWindow(window);
        _chunkSize = (int)Math.Min(maxPacket, MaxPacketSize);
        _opened.TrySetResult();
    }

    public void OnOpenFailed(uint reason, string description)
    {
        if (!_opened.TrySetException(new SshChannelOpenException(Type, reason, description)))
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: open failure after confirmation.");
        }

        Finish(null);
    }

    public void OnWindowAdjust(uint bytes) => _remoteWindow.Add(bytes);

    public ValueTask OnDataAsync(ReadOnlyMemory<byte> data)
    {
        CheckDataAllowed(data.Length);
        _receiveWindow.Take(data.Length);
        return Output.AppendAsync(data);
    }

    public async ValueTask OnExtendedDataAsync(uint dataType, ReadOnlyMemory<byte> data)
    {
        CheckDataAllowed(data.Length);
        _receiveWindow.Take(data.Length);
        if (dataType == 1)
        {
            await Error.AppendAsync(data).ConfigureAwait(false);
        }
        else
        {
            // Unknown extended data has no reader; credit it at once so it cannot stall the channel.
            await _receiveWindow.ConsumedAsync(data.Length).ConfigureAwait(false);
        }
    }

    public void OnEof()
    {
        _eofReceived = true;
        _receiveWindow.Close();
        Output.Complete();
        Error.Complete();
    }

    public async Task OnCloseAsync()
    {
        lock (_gate)
        {
            if (_closeReceived)
            {
                throw SshProtocolException.Protocol($"Channel {LocalId}: second CLOSE.");
            }

            _closeReceived = true;
        }

        OnEof();
        _remoteWindow.Close();
        FailPendingReplies();
        await SendCloseAsync().ConfigureAwait(false);
        TryFinish();
    }

    public async Task OnRequestAsync(string type, bool wantReply, byte[] data, CancellationToken cancellationToken)
    {
        var reader = new SshReader(data);
        switch (type)
        {
            case "exit-status":
                _exitStatus = new SshExitStatus(unchecked((int)reader.ReadUInt32()), null, false, null);
                break;
            case "exit-signal":
                var signal = reader.ReadUtf8String();
                var coreDumped = reader.ReadBoolean();
                var message = reader.ReadUtf8String();
                _exitStatus = new SshExitStatus(null, signal, coreDumped, message.Length == 0 ? null : message);
                break;
        }

        // Anything else (keepalive@openssh.com, eow@openssh.com, ...) is not ours to accept; never stay silent.
        if (wantReply && !_closeSent)
        {
            await _connection.SendAsync(ChannelMessages.Reply(RemoteId, success: false), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void OnReply(bool success)
    {
        TaskCompletionSource<bool>? pending;
        lock (_gate)
        {
            _pendingReplies.TryDequeue(out pending);
        }

        if (pending is null)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: a reply to a request that wanted none.");
        }

        pending.TrySetResult(success);
    }

    /// <summary>The connection is gone: fail everything without sending.</summary>
    public void Abort(Exception failure)
    {
        lock (_gate)
        {
            _closeReceived = true;
            _closeSent = true;
        }

        _failure ??= failure;
        if (_opened.TrySetException(failure))
        {
            _ = _opened.Task.Exception; // observed here: the opener awaits it, or nobody is left to
        }

        Output.Fail(() => SshConnectionException.From(failure));
        Error.Fail(() => SshConnectionException.From(failure));
        _remoteWindow.Close();
        FailPendingReplies();
        Finish(failure);
    }

    private void CheckDataAllowed(int length)
    {
        if (_eofReceived || _closeReceived)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: data after EOF or CLOSE.");
        }

        if (length > MaxPacketSize)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: {length} bytes of data exceed the maximum packet size {MaxPacketSize}.");
        }
    }

    private void FailPendingReplies()
    {
        List<TaskCompletionSource<bool>> pending;
        lock (_gate)
        {
            pending = [.. _pendingReplies];
            _pendingReplies.Clear();
        }

        foreach (var reply in pending)
        {
            reply.TrySetResult(false);
        }
    }

    private void TryFinish()
    {
        lock (_gate)
        {
            if (!_closeSent || !_closeReceived)
            {
                return;
            }
        }

        Finish(null);
    }

    private void Finish(Exception? failure)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
        }

        _failure ??= failure;
        _connection.Remove(this);
        _closed.TrySetResult();
    }
}
