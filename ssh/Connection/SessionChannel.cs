using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// One "session" channel (RFC 4254 §6): window accounting in both directions, requests passed to the
/// <see cref="ISshSessionHandler"/>, one program at a time, and the close sequence OpenSSH uses:
/// EOF, exit-status, CLOSE. The channel number is freed only once both sides have sent CLOSE.
/// </summary>
internal sealed partial class SessionChannel
{
    private readonly SshTransport _transport;
    private readonly ISshSessionHandler _handler;
    private readonly ChannelWindow _remoteWindow;
    private readonly int _chunkSize;
    private readonly ChannelInputStream _input;
    private readonly SshSessionStreams _streams;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Action<SessionChannel> _onClosed;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _program;
    private bool _eofReceived;
    private bool _closeReceived;
    private bool _eofSent;
    private bool _closeSent;
    private bool _finished;

    public SessionChannel(
        SshTransport transport, ISshSessionHandler handler, uint localId, uint remoteId, uint remoteWindow, uint remoteMaxPacket,
        Action<SessionChannel> onClosed, ILogger logger)
    {
        _transport = transport;
        _handler = handler;
        LocalId = localId;
        RemoteId = remoteId;
        _remoteWindow = new ChannelWindow(remoteWindow);
        _chunkSize = (int)Math.Min(remoteMaxPacket, ConnectionService.MaxPacketSize);
        _onClosed = onClosed;
        _logger = logger;
        _input = new ChannelInputStream(ConnectionService.InitialWindowSize, SendWindowAdjustAsync);
        _streams = new SshSessionStreams(_input, new ChannelOutputStream(this, isError: false), new ChannelOutputStream(this, isError: true));
    }

    public uint LocalId { get; }

    public uint RemoteId { get; }

    public void OnWindowAdjust(uint bytes) => _remoteWindow.Add(bytes);

    public void OnData(ReadOnlySpan<byte> data)
    {
        if (_eofReceived || _closeReceived)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: data after EOF or CLOSE.");
        }

        _input.Append(data);
    }

    public ValueTask OnExtendedDataAsync(int length) => _input.DiscardAsync(length);

    public void OnEof()
    {
        _eofReceived = true;
        _input.Complete();
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

        _input.Complete();
        _remoteWindow.Close();
        // Not awaited: the program's reaction to cancellation must not hold up the connection's reader.
        _ = _cancellation.CancelAsync();
        // Without a program, nobody else will answer the close; with one, it answers when it ends.
        if (_program is null)
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

        _input.Complete();
        _remoteWindow.Close();
        await _cancellation.CancelAsync().ConfigureAwait(false);
        if (_program is { } program)
        {
            // A program that ignores cancellation is not waited for forever.
            await Task.WhenAny(program, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }

        await TryFinishAsync().ConfigureAwait(false);
    }

    public async Task OnRequestAsync(string type, bool wantReply, byte[] data, CancellationToken cancellationToken)
    {
        SshProgram? program = null;
        bool accepted;
        try
        {
            (accepted, program) = await DispatchRequestAsync(type, data, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Channel {LocalId}: malformed '{type}' request: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not SshProtocolException)
        {
            LogHandlerFailed(_logger, ex, LocalId, type);
            accepted = false;
        }

        LogRequest(_logger, LocalId, type, accepted);
        if (wantReply && !_closeSent)
        {
            var reply = new SshWriter(8).WriteByte(accepted ? SshMessage.ChannelSuccess : SshMessage.ChannelFailure).WriteUInt32(RemoteId);
            await _transport.SendAsync(reply.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        if (accepted && program is not null)
        {
            _program = Task.Run(() => RunProgramAsync(program));
        }
    }

    private async Task<(bool Accepted, SshProgram? Program)> DispatchRequestAsync(string type, byte[] data, CancellationToken cancellationToken)
    {
        // Requests that configure or start the program are refused once one is running.
        var startable = _program is null && !_closeReceived;
        switch (type)
        {
            case "env":
                var (name, value) = ReadStrings(data);
                return (startable && await _handler.SetEnvironmentVariableAsync(name, value, cancellationToken).ConfigureAwait(false), null);
            case "exec":
                var command = ReadString(data);
                var program = startable ? await _handler.ExecAsync(command, cancellationToken).ConfigureAwait(false) : null;
                return (program is not null, program);
            default:
                // Unknown requests (and those not yet implemented) get CHANNEL_FAILURE, never silence.
                return (false, null);
        }
    }

    private async Task RunProgramAsync(SshProgram program)
    {
        int? exitCode = null;
        try
        {
            exitCode = await program(_streams, _cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (_cancellation.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client closed the channel or the connection ended under the program.
        }
        catch (Exception ex)
        {
            LogProgramFailed(_logger, ex, LocalId);
        }

        try
        {
            await SendEofAsync().ConfigureAwait(false);
            if (exitCode is { } code && !_closeReceived)
            {
                var status = new SshWriter(32)
                    .WriteByte(SshMessage.ChannelRequest)
                    .WriteUInt32(RemoteId)
                    .WriteString("exit-status")
                    .WriteBoolean(false)
                    .WriteUInt32(unchecked((uint)code));
                await _transport.SendAsync(status.ToArray(), CancellationToken.None).ConfigureAwait(false);
            }

            await SendCloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is going away; there is nobody left to tell.
        }
    }

    private static string ReadString(byte[] data)
    {
        var reader = new SshReader(data);
        var value = reader.ReadUtf8String();
        reader.EnsureEnd("Channel request");
        return value;
    }

    private static (string, string) ReadStrings(byte[] data)
    {
        var reader = new SshReader(data);
        var first = reader.ReadUtf8String();
        var second = reader.ReadUtf8String();
        reader.EnsureEnd("Channel request");
        return (first, second);
    }
}
