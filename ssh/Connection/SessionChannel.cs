using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// One "session" channel (RFC 4254 §6): requests passed to the <see cref="ISshSessionHandler"/>, one program at
/// a time, and the close sequence OpenSSH uses: EOF, exit-status (or exit-signal), CLOSE.
/// </summary>
internal sealed partial class SessionChannel : ConnectionChannel
{
    private readonly ISshSessionHandler _handler;
    private readonly SshSessionStreams _streams;

    public SessionChannel(
        SshTransport transport, ISshSessionHandler handler, uint localId, uint remoteId, uint remoteWindow, uint remoteMaxPacket,
        Action<ConnectionChannel> onClosed, ILogger logger)
        : base(transport, localId, remoteId, remoteWindow, remoteMaxPacket, onClosed, logger)
    {
        _handler = handler;
        _streams = new SshSessionStreams(
            Input,
            new ChannelWriteStream((data, cancellationToken) => SendDataAsync(data, isError: false, cancellationToken)),
            new ChannelWriteStream((data, cancellationToken) => SendDataAsync(data, isError: true, cancellationToken)));
    }

    public override async Task OnRequestAsync(string type, bool wantReply, byte[] data, CancellationToken cancellationToken)
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
            LogHandlerFailed(Logger, ex, LocalId, type);
            accepted = false;
        }

        LogRequest(Logger, LocalId, type, accepted);
        await ReplyAsync(wantReply, accepted, cancellationToken).ConfigureAwait(false);
        if (accepted && program is not null)
        {
            Work = Task.Run(() => RunProgramAsync(program));
        }
    }

    protected override async ValueTask ReleaseAsync()
    {
        switch (_handler)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private async Task<(bool Accepted, SshProgram? Program)> DispatchRequestAsync(string type, byte[] data, CancellationToken cancellationToken)
    {
        // Requests that configure or start the program are refused once one is running.
        var startable = Work is null && !CloseReceived;
        SshProgram? program;
        switch (type)
        {
            case "env":
                var (name, value) = ReadStrings(data);
                return (startable && await _handler.SetEnvironmentVariableAsync(name, value, cancellationToken).ConfigureAwait(false), null);
            case "pty-req":
                var pty = SshPtyRequest.Read(data);
                return (startable && await _handler.RequestPtyAsync(pty, cancellationToken).ConfigureAwait(false), null);
            case "auth-agent-req@openssh.com":
                EnsureEmpty(data, type);
                return (startable && await _handler.RequestAgentForwardingAsync(cancellationToken).ConfigureAwait(false), null);
            case "exec":
                var command = ReadString(data);
                program = startable ? await _handler.ExecAsync(command, cancellationToken).ConfigureAwait(false) : null;
                return (program is not null, program);
            case "shell":
                EnsureEmpty(data, type);
                program = startable ? await _handler.ShellAsync(cancellationToken).ConfigureAwait(false) : null;
                return (program is not null, program);
            case "subsystem":
                var subsystem = ReadString(data);
                program = startable ? await _handler.SubsystemAsync(subsystem, cancellationToken).ConfigureAwait(false) : null;
                return (program is not null, program);
            case "window-change":
                var size = ReadWindowSize(data);
                return (!CloseReceived && await _handler.ChangeWindowSizeAsync(size, cancellationToken).ConfigureAwait(false), null);
            case "signal":
                var signal = ReadString(data);
                return (!CloseReceived && await _handler.SignalAsync(signal, cancellationToken).ConfigureAwait(false), null);
            default:
                // Requests the handler does not know get CHANNEL_FAILURE, never silence.
                return (!CloseReceived && await _handler.OtherRequestAsync(type, data, cancellationToken).ConfigureAwait(false), null);
        }
    }

    private async Task RunProgramAsync(SshProgram program)
    {
        int? exitCode = null;
        SshExitSignalException? exitSignal = null;
        try
        {
            exitCode = await program(_streams, Cancellation).ConfigureAwait(false);
        }
        catch (SshExitSignalException ex)
        {
            exitSignal = ex;
        }
        catch (Exception ex) when (Cancellation.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client closed the channel or the connection ended under the program.
        }
        catch (Exception ex)
        {
            LogProgramFailed(Logger, ex, LocalId);
        }

        try
        {
            await SendEofAsync().ConfigureAwait(false);
            if (exitCode is { } code)
            {
                await SendRequestAsync("exit-status", w => w.WriteUInt32(unchecked((uint)code))).ConfigureAwait(false);
            }
            else if (exitSignal is not null)
            {
                await SendRequestAsync("exit-signal", w => w
                    .WriteString(exitSignal.Signal)
                    .WriteBoolean(exitSignal.CoreDumped)
                    .WriteString(exitSignal.ErrorMessage)
                    .WriteString("")).ConfigureAwait(false);
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

    private static SshWindowSize ReadWindowSize(byte[] data)
    {
        var reader = new SshReader(data);
        var size = new SshWindowSize(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        reader.EnsureEnd("window-change");
        return size;
    }

    private static void EnsureEmpty(byte[] data, string type) => new SshReader(data).EnsureEnd(type);
}
