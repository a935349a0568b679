using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// The server side of the connection protocol (RFC 4254): dispatches global requests and channel messages
/// after authentication. "session" channels go to the session handler; "direct-tcpip" channels and
/// "tcpip-forward" requests to the forwarding handler, when there is one. Every other channel type, global
/// request and channel request is refused explicitly, as clients may hang on silence.
/// </summary>
internal sealed partial class ConnectionService(
    SshTransport transport, AuthenticatedUser user, ConnectionLimits limits, Func<SshSessionContext, ISshSessionHandler> handlerFactory,
    Func<SshConnectionContext, ISshForwardingHandler>? forwardingHandlerFactory, System.Net.EndPoint? remoteEndPoint, ILogger logger)
{
    /// <summary>Our receive window per channel, as OpenSSH uses for sessions.</summary>
    public const uint InitialWindowSize = 2 * 1024 * 1024;

    /// <summary>The largest data payload we accept, and send, per packet.</summary>
    public const uint MaxPacketSize = 32 * 1024;

    private readonly ConcurrentDictionary<uint, ConnectionChannel> _channels = new();

    // Who is on this connection does not change after authentication: built once for sessions and forwarding.
    private readonly SshConnectionContext _context =
        new(user.UserName, user.PublicKey, user.Certificate, remoteEndPoint, transport.ClientVersion, user.State);
    private uint _nextChannelId;
    private bool _noMoreSessions;

    /// <summary>Processes messages until the connection ends, then stops every channel.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _context.Attach(this);
        Started?.Invoke(_context);
        using var loop = LinkDisconnect(cancellationToken);
        try
        {
            while (true)
            {
                var payload = await transport.ReceiveAsync(loop.Token).ConfigureAwait(false);
                await DispatchAsync(payload, loop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (DisconnectedByUs(cancellationToken))
        {
            // We sent DISCONNECT (access ended): the connection is over, which is not a failure.
        }
        finally
        {
            await StopForwardingAsync().ConfigureAwait(false);
            await Task.WhenAll(_channels.Values.Select(c => c.AbortAsync())).ConfigureAwait(false);
            await DisposeForwardingHandlerAsync().ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            switch (payload[0])
            {
                case SshMessage.GlobalRequest:
                    await OnGlobalRequestAsync(payload, cancellationToken).ConfigureAwait(false);
                    break;
                case SshMessage.ChannelOpen:
                    await OnChannelOpenAsync(payload, cancellationToken).ConfigureAwait(false);
                    break;
                case >= SshMessage.ChannelWindowAdjust and <= SshMessage.ChannelFailure:
                    await OnChannelMessageAsync(payload, cancellationToken).ConfigureAwait(false);
                    break;
                case SshMessage.ChannelOpenConfirmation:
                    OnChannelOpenConfirmation(payload);
                    break;
                case SshMessage.ChannelOpenFailure:
                    OnChannelOpenFailure(payload);
                    break;
                case SshMessage.RequestSuccess or SshMessage.RequestFailure:
                    throw SshProtocolException.Protocol($"Unexpected reply message {payload[0]}: the server made no such request.");
                case >= SshMessage.UserAuthRequest and < SshMessage.GlobalRequest:
                    // RFC 4252 §5.1: authentication requests after success are ignored.
                    break;
                default:
                    await transport.SendUnimplementedAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed connection message {payload[0]}: {ex.Message}", ex);
        }
    }

    private async Task OnGlobalRequestAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var (name, wantReply, data) = ReadGlobalRequest(payload);
        byte[]? reply = null;
        switch (name)
        {
            case "no-more-sessions@openssh.com":
                // OpenSSH sends this after its session opens; like sshd, refuse further sessions from now on.
                _noMoreSessions = true;
                break;
            case "tcpip-forward":
                reply = await StartRemoteForwardAsync(data).ConfigureAwait(false);
                break;
            case "cancel-tcpip-forward":
                reply = await CancelRemoteForwardAsync(data).ConfigureAwait(false);
                break;
        }

        LogGlobalRequest(logger, name, wantReply, reply is null ? "refused" : "accepted");
        if (wantReply)
        {
            await transport.SendAsync(reply ?? [SshMessage.RequestFailure], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task OnChannelOpenAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var (type, senderId, window, maxPacket, data) = ReadChannelOpen(payload);
        if (type == "direct-tcpip")
        {
            await OnDirectTcpIpOpenAsync(senderId, window, maxPacket, data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (failure, description) =
            type != "session" ? (ChannelOpenFailure.UnknownChannelType, $"Channel type '{type}' is not supported.")
            : _noMoreSessions ? (ChannelOpenFailure.AdministrativelyProhibited, "No more sessions (no-more-sessions@openssh.com).")
            : _channels.Values.Count(c => c is SessionChannel) >= limits.MaxChannels ? (ChannelOpenFailure.ResourceShortage, "Too many channels.")
            : maxPacket == 0 ? (ChannelOpenFailure.ConnectFailed, "A maximum packet size of 0 cannot carry data.")
            : (default(ChannelOpenFailure), "");
        SessionChannel? channel = null;
        if (failure == default)
        {
            var id = NextChannelId();
            var context = new SshSessionContext(_context, id);
            try
            {
                var handler = handlerFactory(context);
                channel = new SessionChannel(transport, handler, id, senderId, window, maxPacket, c => _channels.TryRemove(c.LocalId, out _), logger);
                _channels[id] = channel;
            }
            catch (Exception ex)
            {
                LogHandlerFactoryFailed(logger, ex);
                (failure, description) = (ChannelOpenFailure.ConnectFailed, "The session could not be created.");
            }
        }

        if (channel is null)
        {
            await RefuseChannelAsync(type, senderId, failure, description, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ConfirmChannelAsync(senderId, channel.LocalId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask RefuseChannelAsync(string type, uint senderId, ChannelOpenFailure failure, string description, CancellationToken cancellationToken)
    {
        LogChannelRefused(logger, type, description);
        await transport.SendAsync(ChannelMessages.OpenFailure(senderId, failure, description), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ConfirmChannelAsync(uint senderId, uint localId, CancellationToken cancellationToken)
    {
        var confirmation = new SshWriter(32)
            .WriteByte(SshMessage.ChannelOpenConfirmation)
            .WriteUInt32(senderId)
            .WriteUInt32(localId)
            .WriteUInt32(InitialWindowSize)
            .WriteUInt32(MaxPacketSize);
        await transport.SendAsync(confirmation.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private uint NextChannelId() => Interlocked.Increment(ref _nextChannelId) - 1;

    private async Task OnChannelMessageAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var id = ChannelMessages.Recipient(payload);
        if (!_channels.TryGetValue(id, out var channel) || !channel.IsOpen)
        {
            throw ChannelMessages.NotOpen(payload[0], id);
        }

        await ChannelMessages.DispatchAsync(channel, payload, cancellationToken).ConfigureAwait(false);
    }

    private static (string Name, bool WantReply, byte[] Data) ReadGlobalRequest(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        return (reader.ReadUtf8String(), reader.ReadBoolean(), reader.ReadRaw(reader.Remaining).ToArray());
    }

    private static (string Type, uint Sender, uint Window, uint MaxPacket, byte[] Data) ReadChannelOpen(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        return (reader.ReadUtf8String(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadRaw(reader.Remaining).ToArray());
    }
}
