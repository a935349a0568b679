using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>Dispatch of the messages the server sends after authentication.</summary>
internal sealed partial class ClientConnection
{
    private async Task DispatchAsync(byte[] payload)
    {
        try
        {
            switch (payload[0])
            {
                case SshMessage.GlobalRequest:
                    await OnGlobalRequestAsync(payload).ConfigureAwait(false);
                    break;
                case SshMessage.RequestSuccess or SshMessage.RequestFailure:
                    OnGlobalReply(payload[0] == SshMessage.RequestSuccess ? payload[1..] : null);
                    break;
                case SshMessage.ChannelOpen:
                    await OnChannelOpenAsync(payload).ConfigureAwait(false);
                    break;
                case >= SshMessage.ChannelOpenConfirmation and <= SshMessage.ChannelFailure:
                    await OnChannelMessageAsync(payload).ConfigureAwait(false);
                    break;
                case >= SshMessage.UserAuthRequest and < SshMessage.GlobalRequest:
                    // Late authentication messages (a banner, say) mean nothing any more.
                    break;
                default:
                    await _transport.SendUnimplementedAsync(CancellationToken.None).ConfigureAwait(false);
                    break;
            }
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed connection message {payload[0]}: {ex.Message}", ex);
        }
    }

    private async Task OnGlobalRequestAsync(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        var name = reader.ReadUtf8String();
        var wantReply = reader.ReadBoolean();
        LogGlobalRequest(_logger, name, wantReply);

        // hostkeys-00@openssh.com wants no reply; keepalive@openssh.com and anything else get a refusal, never silence.
        if (wantReply)
        {
            await _transport.SendAsync([SshMessage.RequestFailure], CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void OnGlobalReply(byte[]? success)
    {
        TaskCompletionSource<byte[]?>? reply;
        lock (_gate)
        {
            _globalReplies.TryDequeue(out reply);
        }

        if (reply is null)
        {
            throw SshProtocolException.Protocol("A global request reply without a request.");
        }

        reply.TrySetResult(success);
    }

    private async Task OnChannelMessageAsync(byte[] payload)
    {
        var type = payload[0];
        var id = ChannelMessages.Recipient(payload);
        if (!_channels.TryGetValue(id, out var channel))
        {
            throw ChannelMessages.NotOpen(type, id);
        }

        if (type is not (SshMessage.ChannelOpenConfirmation or SshMessage.ChannelOpenFailure) && !channel.Opened.IsCompletedSuccessfully)
        {
            throw SshProtocolException.Protocol($"Message {type} for channel {id} before it was confirmed.");
        }

        switch (type)
        {
            case SshMessage.ChannelOpenConfirmation:
                var (remoteId, window, maxPacket) = ReadOpenConfirmation(payload);
                channel.OnOpenConfirmed(remoteId, window, maxPacket);
                break;
            case SshMessage.ChannelOpenFailure:
                var (reason, description) = ReadOpenFailure(payload);
                channel.OnOpenFailed(reason, description);
                break;
            default:
                await ChannelMessages.DispatchAsync(channel, payload, CancellationToken.None).ConfigureAwait(false);
                break;
        }
    }

    private static (uint RemoteId, uint Window, uint MaxPacket) ReadOpenConfirmation(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        reader.ReadUInt32();
        return (reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
    }

    private static (uint Reason, string Description) ReadOpenFailure(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        reader.ReadUInt32();
        return (reader.ReadUInt32(), reader.ReadUtf8String());
    }
}
