using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>The connection protocol driven by a raw client: refusals are explicit, windows are respected.</summary>
public sealed class ConnectionProtocolTests
{
    [Fact]
    public async Task Unknown_global_request_with_want_reply_gets_request_failure()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);

        await client.SendAsync(new SshWriter(64).WriteByte(SshMessage.GlobalRequest).WriteString("keepalive@openssh.com").WriteBoolean(true).ToArray());

        Assert.Equal(new[] { SshMessage.RequestFailure }, await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Unknown_channel_type_gets_open_failure()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);

        await client.SendAsync(new SshWriter(64).WriteByte(SshMessage.ChannelOpen).WriteString("x11").WriteUInt32(7).WriteUInt32(1000).WriteUInt32(1000).ToArray());

        var reader = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.ChannelOpenFailure, reader.ReadByte());
        Assert.Equal(7u, reader.ReadUInt32());
        Assert.Equal(3u, reader.ReadUInt32()); // SSH_OPEN_UNKNOWN_CHANNEL_TYPE
    }

    [Fact]
    public async Task Unknown_channel_request_gets_channel_failure()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(1000, 1000);

        await client.SendAsync(Request(channel, "winadj@putty.projects.tartarus.org", wantReply: true));

        Assert.Equal(new byte[] { SshMessage.ChannelFailure, 0, 0, 0, 0 }, await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Server_never_sends_past_the_client_window_or_max_packet()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(window: 10, maxPacket: 4);

        await client.SendAsync(Request(channel, "exec", wantReply: true, "generate 25"));
        Assert.Equal(SshMessage.ChannelSuccess, (await client.ReceiveMessageAsync())[0]);

        var received = await ReceiveDataAsync(client, 10);
        await client.SendAsync(new SshWriter(16).WriteByte(SshMessage.ChannelWindowAdjust).WriteUInt32(channel).WriteUInt32(100).ToArray());
        received.AddRange(await ReceiveDataAsync(client, 15));

        Assert.Equal(TestSessionHandler.Pattern(25), received);
        // Then, in OpenSSH's order: EOF, exit-status 0, CLOSE.
        Assert.Equal(SshMessage.ChannelEof, (await client.ReceiveMessageAsync())[0]);
        var status = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.ChannelRequest, status.ReadByte());
        status.ReadUInt32();
        Assert.Equal("exit-status", status.ReadUtf8String());
        Assert.False(status.ReadBoolean());
        Assert.Equal(0u, status.ReadUInt32());
        Assert.Equal(SshMessage.ChannelClose, (await client.ReceiveMessageAsync())[0]);
    }

    [Fact]
    public async Task Data_beyond_the_server_window_is_a_protocol_error()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(1000, 1000);
        var chunk = new byte[32 * 1024];

        // Nothing reads stdin before exec, so 2 MiB of data fills the window and one more byte overflows it.
        for (var sent = 0; sent < 2 * 1024 * 1024; sent += chunk.Length)
        {
            await client.SendAsync(Data(channel, chunk));
        }

        await client.SendAsync(Data(channel, [1]));

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("exceeds the remaining window", disconnect?.Description);
    }

    [Fact]
    public async Task Data_larger_than_the_max_packet_is_a_protocol_error()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(1000, 1000);

        await client.SendAsync(Data(channel, new byte[(32 * 1024) + 1]));

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Contains("exceeds the maximum packet size", disconnect?.Description);
    }

    [Fact]
    public async Task Window_adjust_past_four_gigabytes_is_a_protocol_error()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(1000, 1000);

        await client.SendAsync(new SshWriter(16).WriteByte(SshMessage.ChannelWindowAdjust).WriteUInt32(channel).WriteUInt32(uint.MaxValue).ToArray());

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Contains("overflows the channel window", disconnect?.Description);
    }

    [Fact]
    public async Task Message_for_a_channel_that_is_not_open_is_a_protocol_error()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);

        await client.SendAsync(Data(42, [1, 2, 3]));

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Contains("channel 42, which is not open", disconnect?.Description);
    }

    [Fact]
    public async Task Unknown_message_number_gets_unimplemented_with_its_sequence_number()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);

        await client.SendAsync([200, 1, 2, 3]);

        var reader = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.Unimplemented, reader.ReadByte());
        // Strict kex restarted numbering at NEWKEYS: service request 0, userauth 1, this one 2.
        Assert.Equal(2u, reader.ReadUInt32());
    }

    [Fact]
    public async Task Closing_the_channel_cancels_the_running_program_and_the_server_answers_close()
    {
        await using var server = TestSshServer.Start();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(1000, 1000);
        await client.SendAsync(Request(channel, "exec", wantReply: true, "cat"));
        Assert.Equal(SshMessage.ChannelSuccess, (await client.ReceiveMessageAsync())[0]);

        await client.SendAsync(new SshWriter(8).WriteByte(SshMessage.ChannelClose).WriteUInt32(channel).ToArray());

        Assert.Equal(SshMessage.ChannelClose, (await client.ReceiveMessageAsync())[0]);
        // The channel number is free again: a new session can open and run.
        var second = await client.OpenSessionAsync(1000, 1000);
        await client.SendAsync(Request(second, "exec", wantReply: true, "true"));
        Assert.Equal(SshMessage.ChannelSuccess, (await client.ReceiveMessageAsync())[0]);
    }

    private static async Task<RawSshClient> LoggedInAsync(TestSshServer server)
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(key.PublicKey);
        var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync();
        Assert.Equal(new[] { SshMessage.UserAuthSuccess }, await client.AuthenticateAsync(key, "alice"));
        return client;
    }

    private static async Task<List<byte>> ReceiveDataAsync(RawSshClient client, int total)
    {
        var received = new List<byte>();
        while (received.Count < total)
        {
            var reader = new SshReader(await client.ReceiveMessageAsync());
            Assert.Equal(SshMessage.ChannelData, reader.ReadByte());
            Assert.Equal(0u, reader.ReadUInt32());
            var data = reader.ReadString();
            Assert.InRange(data.Length, 1, 4);
            received.AddRange(data.ToArray());
        }

        Assert.Equal(total, received.Count);
        return received;
    }

    private static byte[] Data(uint channel, byte[] data) =>
        new SshWriter(data.Length + 16).WriteByte(SshMessage.ChannelData).WriteUInt32(channel).WriteString(data).ToArray();

    private static byte[] Request(uint channel, string type, bool wantReply, string? argument = null)
    {
        var writer = new SshWriter(64).WriteByte(SshMessage.ChannelRequest).WriteUInt32(channel).WriteString(type).WriteBoolean(wantReply);
        if (argument is not null)
        {
            writer.WriteString(argument);
        }

        return writer.ToArray();
    }
}
