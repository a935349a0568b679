using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// The messages of a channel (RFC 4254 §5), encoded and decoded the same way for client and server channels.
/// What a channel does with them is its own (<see cref="IChannelMessageHandler"/>).
/// </summary>
internal static class ChannelMessages
{
    /// <summary>The recipient channel number that every channel message starts with.</summary>
    public static uint Recipient(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        return reader.ReadUInt32();
    }

    public static SshProtocolException NotOpen(byte type, uint recipient) =>
        SshProtocolException.Protocol($"Message {type} for channel {recipient}, which is not open.");

    /// <summary>Decodes one of WINDOW_ADJUST to CHANNEL_FAILURE for <paramref name="channel"/>; malformed is a <see cref="FormatException"/>.</summary>
    public static ValueTask DispatchAsync(IChannelMessageHandler channel, byte[] payload, CancellationToken cancellationToken)
    {
        var reader = new SshReader(payload);
        var type = reader.ReadByte();
        reader.ReadUInt32();
        switch (type)
        {
            case SshMessage.ChannelWindowAdjust:
                var bytes = reader.ReadUInt32();
                reader.EnsureEnd("WINDOW_ADJUST");
                channel.OnWindowAdjust(bytes);
                return ValueTask.CompletedTask;
            case SshMessage.ChannelData:
                var dataLength = reader.ReadString().Length;
                reader.EnsureEnd("CHANNEL_DATA");
                // As for extended data: the payload is this message's own copy, so the data is passed on without another.
                return channel.OnDataAsync(payload.AsMemory(payload.Length - dataLength));
            case SshMessage.ChannelExtendedData:
                var dataType = reader.ReadUInt32();
                var length = reader.ReadString().Length;
                reader.EnsureEnd("CHANNEL_EXTENDED_DATA");
                // The data ends the payload, which is this message's own copy: no need for another.
                return channel.OnExtendedDataAsync(dataType, payload.AsMemory(payload.Length - length));
            case SshMessage.ChannelEof:
                reader.EnsureEnd("CHANNEL_EOF");
                channel.OnEof();
                return ValueTask.CompletedTask;
            case SshMessage.ChannelClose:
                reader.EnsureEnd("CHANNEL_CLOSE");
                return new ValueTask(channel.OnCloseAsync());
            case SshMessage.ChannelRequest:
                var request = reader.ReadUtf8String();
                var wantReply = reader.ReadBoolean();
                var specific = reader.ReadRaw(reader.Remaining).ToArray();
                return new ValueTask(channel.OnRequestAsync(request, wantReply, specific, cancellationToken));
            case SshMessage.ChannelSuccess or SshMessage.ChannelFailure:
                reader.EnsureEnd("CHANNEL_SUCCESS/FAILURE");
                channel.OnReply(type == SshMessage.ChannelSuccess);
                return ValueTask.CompletedTask;
            default:
                throw new ArgumentOutOfRangeException(nameof(payload), $"Message {type} is not a message of an open channel.");
        }
    }

    /// <summary>CHANNEL_DATA, or EXTENDED_DATA of type 1 (stderr) when <paramref name="isError"/>.</summary>
    public static byte[] Data(uint recipient, ReadOnlySpan<byte> data, bool isError = false)
    {
        var message = new SshWriter(data.Length + 16)
            .WriteByte(isError ? SshMessage.ChannelExtendedData : SshMessage.ChannelData)
            .WriteUInt32(recipient);
        if (isError)
        {
            message.WriteUInt32(1); // SSH_EXTENDED_DATA_STDERR
        }

        return message.WriteString(data).ToArray();
    }

    /// <summary>What precedes the data in <see cref="Data"/>: the type, recipient, data type for stderr, and the data's length.</summary>
    public static byte[] DataHeader(uint recipient, int length, bool isError = false)
    {
        var message = new SshWriter(17)
            .WriteByte(isError ? SshMessage.ChannelExtendedData : SshMessage.ChannelData)
            .WriteUInt32(recipient);
        if (isError)
        {
            message.WriteUInt32(1); // SSH_EXTENDED_DATA_STDERR
        }

        return message.WriteUInt32((uint)length).ToArray();
    }

    public static byte[] WindowAdjust(uint recipient, uint bytes) =>
        new SshWriter(16).WriteByte(SshMessage.ChannelWindowAdjust).WriteUInt32(recipient).WriteUInt32(bytes).ToArray();

    public static byte[] Eof(uint recipient) => new SshWriter(8).WriteByte(SshMessage.ChannelEof).WriteUInt32(recipient).ToArray();

    public static byte[] Close(uint recipient) => new SshWriter(8).WriteByte(SshMessage.ChannelClose).WriteUInt32(recipient).ToArray();

    /// <summary>CHANNEL_SUCCESS or CHANNEL_FAILURE.</summary>
    public static byte[] Reply(uint recipient, bool success) =>
        new SshWriter(8).WriteByte(success ? SshMessage.ChannelSuccess : SshMessage.ChannelFailure).WriteUInt32(recipient).ToArray();

    public static byte[] OpenFailure(uint recipient, ChannelOpenFailure reason, string description) =>
        new SshWriter(64)
            .WriteByte(SshMessage.ChannelOpenFailure)
            .WriteUInt32(recipient)
            .WriteUInt32((uint)reason)
            .WriteString(description)
            .WriteString("")
            .ToArray();
}
