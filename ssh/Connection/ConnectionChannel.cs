using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// What every channel shares (RFC 4254 §5): window accounting in both directions, EOF and the close sequence.
/// A channel's <see cref="Work"/> (a program, a splice) sends CLOSE when it ends; a channel without work answers
/// the client's CLOSE at once. The channel number is freed only once both sides have sent CLOSE.
/// </summary>
internal abstract partial class ConnectionChannel : IChannelMessageHandler
{
    private readonly ChannelWindow _remoteWindow;
    private readonly ReceiveWindow _receiveWindow;
    private readonly int _chunkSize;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Action<ConnectionChannel> _onClosed;
    private readonly Lock _gate = new();
    private bool _eofReceived;
    private bool _closeReceived;
    private bool _eofSent;
    private bool _closeSent;
    private bool _finished;

    protected ConnectionChannel(
        SshTransport transport, uint localId, uint remoteId, uint remoteWindow, uint remoteMaxPacket,
        Action<ConnectionChannel> onClosed, ILogger logger)
    {
        Transport = transport;
        LocalId = localId;
        RemoteId = remoteId;
        _remoteWindow = new ChannelWindow(remoteWindow);
        _chunkSize = (int)Math.Min(remoteMaxPacket, ConnectionService.MaxPacketSize);
        _onClosed = onClosed;
        Logger = logger;
        _receiveWindow = new ReceiveWindow(ConnectionService.InitialWindowSize, SendWindowAdjustAsync);
        Input = new ChannelReadStream(_receiveWindow, transport.ReleaseReceived);
    }

    public uint LocalId { get; }

    public uint RemoteId { get; }

    /// <summary>False until our CHANNEL_OPEN_CONFIRMATION is out; the client may not use the channel before.</summary>
    public bool IsOpen { get; set; } = true;

    /// <summary>Channel data from the client, within our receive window.</summary>
    protected ChannelReadStream Input { get; }

    protected SshTransport Transport { get; }

    protected ILogger Logger { get; }

    /// <summary>Cancelled when the client closes the channel or the connection ends.</summary>
    protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>The client has sent CLOSE (or the connection is gone): nothing more may be sent.</summary>
    protected bool CloseReceived => _closeReceived;

    /// <summary>What runs on the channel; when it ends, it sends EOF/CLOSE itself.</summary>
    protected Task? Work { get; set; }

    public void OnWindowAdjust(uint bytes) => _remoteWindow.Add(bytes);

    public ValueTask OnDataAsync(ReadOnlyMemory<byte> data)
    {
        CheckPacketSize(data.Length);
        if (_eofReceived || _closeReceived)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: data after EOF or CLOSE.");
        }

        _receiveWindow.Take(data.Length);
        return Input.AppendAsync(data);
    }

    /// <summary>Extended data from the client has no reader: it counts against the window and is credited at once.</summary>
    public ValueTask OnExtendedDataAsync(uint dataType, ReadOnlyMemory<byte> data)
    {
        CheckPacketSize(data.Length);
        _receiveWindow.Take(data.Length);
        return _receiveWindow.ConsumedAsync(data.Length);
    }

    public void OnEof()
    {
        _eofReceived = true;
        CompleteInput();
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

        CompleteInput();
        _remoteWindow.Close();
        // Not awaited: the work's reaction to cancellation must not hold up the connection's reader.
        _ = _cancellation.CancelAsync();
        // Without work, nobody else will answer the close; with it, it answers when it ends.
        if (Work is null)
        {
            await SendCloseAsync().ConfigureAwait(false);
        }
        else
        {
            await TryFinishAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The connection is gone: stop everything without sending.</summary>
    public async Task AbortAsync()
    {
        lock (_gate)
        {
            _closeReceived = true;
            _closeSent = true;
        }

        CompleteInput();
        _remoteWindow.Close();
        await _cancellation.CancelAsync().ConfigureAwait(false);
        if (Work is { } work)
        {
            // Work that ignores cancellation is not waited for forever.
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }

        await TryFinishAsync().ConfigureAwait(false);
    }

    /// <summary>A CHANNEL_REQUEST; channels without requests of their own refuse every one.</summary>
    public virtual async Task OnRequestAsync(string type, bool wantReply, byte[] data, CancellationToken cancellationToken)
    {
        LogRequest(Logger, LocalId, type, accepted: false);
        await ReplyAsync(wantReply, accepted: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>We never ask for replies, so there is nothing to match.</summary>
    public void OnReply(bool success)
    {
    }

    /// <summary>Frees what the channel holds once both CLOSEs are out (a handler, a socket).</summary>
    protected abstract ValueTask ReleaseAsync();

    /// <summary>CHANNEL_SUCCESS or CHANNEL_FAILURE when the client asked for a reply.</summary>
    protected async ValueTask ReplyAsync(bool wantReply, bool accepted, CancellationToken cancellationToken)
    {
        if (wantReply && !_closeSent)
        {
            await Transport.SendAsync(ChannelMessages.Reply(RemoteId, accepted), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No more data will come: reads drain what is buffered, then return 0, and nothing more is credited.</summary>
    private void CompleteInput()
    {
        _receiveWindow.Close();
        Input.Complete();
    }

    private static void CheckPacketSize(int length)
    {
        if (length > ConnectionService.MaxPacketSize)
        {
            throw SshProtocolException.Protocol($"Channel data of {length} bytes exceeds the maximum packet size {ConnectionService.MaxPacketSize}.");
        }
    }
}
