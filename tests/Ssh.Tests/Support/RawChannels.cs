using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Channel-level helpers for tests that drive the server with a <see cref="RawSshClient"/>.</summary>
internal static class RawChannels
{
    /// <summary>A raw client logged in as alice with an authorized Ed25519 key.</summary>
    public static async Task<RawSshClient> LoggedInAsync(TestSshServer server)
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(key.PublicKey);
        var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync();
        Assert.Equal(new[] { SshMessage.UserAuthSuccess }, await client.AuthenticateAsync(key, "alice"));
        return client;
    }

    /// <summary>A CHANNEL_REQUEST whose type-specific data <paramref name="writeData"/> writes.</summary>
    public static byte[] Request(uint channel, string type, bool wantReply, Action<SshWriter>? writeData = null)
    {
        var writer = new SshWriter(64).WriteByte(SshMessage.ChannelRequest).WriteUInt32(channel).WriteString(type).WriteBoolean(wantReply);
        writeData?.Invoke(writer);
        return writer.ToArray();
    }

    public static byte[] GlobalRequest(string name, bool wantReply, Action<SshWriter>? writeData = null)
    {
        var writer = new SshWriter(64).WriteByte(SshMessage.GlobalRequest).WriteString(name).WriteBoolean(wantReply);
        writeData?.Invoke(writer);
        return writer.ToArray();
    }

    public static byte[] Data(uint channel, byte[] data) =>
        new SshWriter(data.Length + 16).WriteByte(SshMessage.ChannelData).WriteUInt32(channel).WriteString(data).ToArray();

    /// <summary>Sends a request with want_reply and returns whether the server answered CHANNEL_SUCCESS.</summary>
    public static async Task<bool> RequestAsync(this RawSshClient client, uint channel, string type, Action<SshWriter>? writeData = null)
    {
        await client.SendAsync(Request(channel, type, wantReply: true, writeData));
        var reply = await client.ReceiveMessageAsync();
        // A running program's output may arrive before the reply; it is not the answer.
        while (reply[0] is SshMessage.ChannelData or SshMessage.ChannelExtendedData or SshMessage.ChannelWindowAdjust)
        {
            reply = await client.ReceiveMessageAsync();
        }

        Assert.True(reply[0] is SshMessage.ChannelSuccess or SshMessage.ChannelFailure, $"Expected a reply to '{type}', got message {reply[0]}.");
        return reply[0] == SshMessage.ChannelSuccess;
    }

    /// <summary>Every message on our channel 0 up to and including the server's CLOSE (data, EOF, requests).</summary>
    public static async Task<List<byte[]>> ReceiveUntilCloseAsync(this RawSshClient client)
    {
        var messages = new List<byte[]>();
        while (true)
        {
            var message = await client.ReceiveMessageAsync();
            if (message[0] == SshMessage.ChannelWindowAdjust)
            {
                continue;
            }

            messages.Add(message);
            if (message[0] == SshMessage.ChannelClose)
            {
                return messages;
            }
        }
    }
}
