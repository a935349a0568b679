using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// Channels the server opens to us (RFC 4254 §7.2 forwarded-tcpip, OpenSSH's auth-agent@openssh.com): the
/// <see cref="IncomingChannels"/> callback connects each to a local stream, or refuses it; accepted channels are
/// spliced with the stream both ways. Without a callback every such open is refused.
/// </summary>
internal sealed partial class ClientConnection
{
    /// <summary>
    /// Given a channel type and its type-specific data, a connected stream to splice the channel with, or null to
    /// refuse. Runs outside the reader loop; an exception refuses the channel with its message.
    /// </summary>
    public Func<string, byte[], CancellationToken, ValueTask<Stream?>>? IncomingChannels { get; set; }

    private async Task OnChannelOpenAsync(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        var type = reader.ReadUtf8String();
        var (senderId, window, maxPacket) = (reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        var data = reader.ReadRaw(reader.Remaining).ToArray();
        if (IncomingChannels is not { } accept || maxPacket == 0)
        {
            LogChannelRefused(_logger, type);
            var refusal = ChannelMessages.OpenFailure(senderId, ChannelOpenFailure.AdministrativelyProhibited, $"The client does not accept '{type}' channels.");
            await _transport.SendAsync(refusal, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // Connecting locally may take a while: the reader loop goes on meanwhile.
        _ = Task.Run(() => AcceptChannelAsync(accept, type, senderId, window, maxPacket, data));
    }

    private async Task AcceptChannelAsync(
        Func<string, byte[], CancellationToken, ValueTask<Stream?>> accept, string type, uint senderId, uint window, uint maxPacket, byte[] data)
    {
        Stream? target = null;
        var description = $"The client does not accept this '{type}' channel.";
        try
        {
            target = await accept(type, data, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            description = ex.Message;
        }

        try
        {
            if (target is null)
            {
                LogChannelRefused(_logger, type);
                await SendAsync(ChannelMessages.OpenFailure(senderId, ChannelOpenFailure.ConnectFailed, description), CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var id = Interlocked.Increment(ref _nextChannelId) - 1;
            var channel = new ClientChannel(this, id, type);
            channel.OnOpenConfirmed(senderId, window, maxPacket);

            // Registered before the confirmation goes out: the server may send data right after it.
            _channels[id] = channel;
            var confirmation = new SshWriter(32)
                .WriteByte(SshMessage.ChannelOpenConfirmation)
                .WriteUInt32(senderId)
                .WriteUInt32(id)
                .WriteUInt32(ClientChannel.InitialWindowSize)
                .WriteUInt32(ClientChannel.MaxPacketSize)
                .ToArray();
            await SendAsync(confirmation, CancellationToken.None).ConfigureAwait(false);
            LogChannelOpened(_logger, type, id, senderId);
            // The splice owns both from here.
            var connected = target;
            target = null;
            await ChannelSplice.RunAsync(new SshChannelStream(channel), connected).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SshConnectionException)
        {
            // The connection is going away; the stream is closed below.
        }
        finally
        {
            if (target is not null)
            {
                await target.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
