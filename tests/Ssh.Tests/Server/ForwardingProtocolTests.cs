using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;
using static Teleport.Orleans.Ssh.Tests.Support.RawChannels;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>Port forwarding on the wire (RFC 4254 §7): direct-tcpip, tcpip-forward, forwarded-tcpip, flow control.</summary>
public sealed class ForwardingProtocolTests
{
    [Fact]
    public async Task Direct_tcpip_never_sends_past_the_client_window_or_max_packet()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        await using var client = await LoggedInAsync(server);
        var channel = await OpenDirectTcpIpAsync(client, "127.0.0.1", echo.Port, window: 10, maxPacket: 4);
        var data = TestSessionHandler.Pattern(25);

        await client.SendAsync(Data(channel, data));
        var received = await ReceiveDataAsync(client, 10, maxPacket: 4);
        await client.SendAsync(new SshWriter(16).WriteByte(SshMessage.ChannelWindowAdjust).WriteUInt32(channel).WriteUInt32(100).ToArray());
        received.AddRange(await ReceiveDataAsync(client, 15, maxPacket: 4));
        await client.SendAsync(new SshWriter(8).WriteByte(SshMessage.ChannelEof).WriteUInt32(channel).ToArray());

        Assert.Equal(data, received);
        // Our EOF reaches the echo server as a shutdown; it ends, and the server sends EOF then CLOSE.
        Assert.Equal(SshMessage.ChannelEof, (await client.ReceiveMessageAsync())[0]);
        Assert.Equal(SshMessage.ChannelClose, (await client.ReceiveMessageAsync())[0]);
    }

    [Fact]
    public async Task Direct_tcpip_stops_reading_a_flooding_target_while_the_client_window_is_exhausted()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        using var stop = new CancellationTokenSource();
        long written = 0;
        var flood = Task.Run(async () =>
        {
            using var socket = await target.AcceptSocketAsync(stop.Token);
            var block = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    Interlocked.Add(ref written, await socket.SendAsync(block, stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
        await using var client = await LoggedInAsync(server);
        var channel = await OpenDirectTcpIpAsync(client, "127.0.0.1", ((IPEndPoint)target.LocalEndpoint).Port, window: 64 * 1024, maxPacket: 32 * 1024);

        await ReceiveDataAsync(client, 64 * 1024, maxPacket: 32 * 1024);
        var stalled = await StalledAtAsync(() => Interlocked.Read(ref written));
        await client.SendAsync(new SshWriter(16).WriteByte(SshMessage.ChannelWindowAdjust).WriteUInt32(channel).WriteUInt32(32 * 1024 * 1024).ToArray());
        await ReceiveDataAsync(client, 32 * 1024 * 1024, maxPacket: 32 * 1024);
        await stop.CancelAsync();
        await flood;

        // What the target could write is what loopback's socket buffers hold, not the 32 MiB it was later allowed.
        Assert.InRange(stalled, 64 * 1024, 20 * 1024 * 1024);
        Assert.True(Interlocked.Read(ref written) >= 32 * 1024 * 1024);
    }

    [Fact]
    public async Task Forwarding_channels_beyond_the_limit_get_resource_shortage_while_sessions_still_open()
    {
        await using var server = TestSshServer.StartInteractive(o => o.MaxForwardingChannelsPerConnection = 1, forwarding: true);
        await using var echo = new EchoServer();
        await using var client = await LoggedInAsync(server);
        await OpenDirectTcpIpAsync(client, "127.0.0.1", echo.Port, window: 1000, maxPacket: 1000);

        var (reason, _) = await OpenDirectTcpIpFailureAsync(client, "127.0.0.1", echo.Port);
        await client.SendAsync(new SshWriter(64).WriteByte(SshMessage.ChannelOpen).WriteString("session").WriteUInt32(1).WriteUInt32(1000).WriteUInt32(1000).ToArray());

        Assert.Equal(4u, reason); // SSH_OPEN_RESOURCE_SHORTAGE
        Assert.Equal(SshMessage.ChannelOpenConfirmation, (await client.ReceiveMessageAsync())[0]);
    }

    [Fact]
    public async Task Direct_tcpip_without_a_forwarding_handler_is_administratively_prohibited()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);

        var (reason, description) = await OpenDirectTcpIpFailureAsync(client, "127.0.0.1", 22);

        Assert.Equal(1u, reason);
        Assert.Equal("Port forwarding is not permitted.", description);
    }

    [Fact]
    public async Task Direct_tcpip_to_a_host_the_handler_refuses_is_administratively_prohibited()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var client = await LoggedInAsync(server);

        var (reason, description) = await OpenDirectTcpIpFailureAsync(client, "example.com", 80);

        Assert.Equal(1u, reason);
        Assert.Contains("example.com:80 is not permitted", description);
    }

    [Fact]
    public async Task Tcpip_forward_for_port_0_replies_with_the_bound_port_and_cancel_stops_the_listener()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var client = await LoggedInAsync(server);

        var port = await ForwardAsync(client, "localhost", 0);
        var listener = Assert.Single(Assert.Single(server.Forwarding).Listeners);
        await client.SendAsync(GlobalRequest("cancel-tcpip-forward", true, w => w.WriteString("localhost").WriteUInt32(port)));
        var cancelled = await client.ReceiveMessageAsync();
        await client.SendAsync(GlobalRequest("cancel-tcpip-forward", true, w => w.WriteString("localhost").WriteUInt32(port)));
        var again = await client.ReceiveMessageAsync();

        Assert.Equal(listener.Port, port);
        Assert.Equal(new[] { SshMessage.RequestSuccess }, cancelled);
        Assert.True(listener.IsStopped);
        Assert.Equal(new[] { SshMessage.RequestFailure }, again);
    }

    [Fact]
    public async Task Connection_to_a_remote_forward_opens_forwarded_tcpip_naming_the_forward_and_the_originator()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var client = await LoggedInAsync(server);
        var port = await ForwardAsync(client, "localhost", 0);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, (int)port);
        var stream = tcp.GetStream();

        var open = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.ChannelOpen, open.ReadByte());
        Assert.Equal("forwarded-tcpip", open.ReadUtf8String());
        var serverChannel = open.ReadUInt32();
        Assert.Equal(2u * 1024 * 1024, open.ReadUInt32());
        Assert.Equal(32u * 1024, open.ReadUInt32());
        Assert.Equal(("localhost", port), (open.ReadUtf8String(), open.ReadUInt32()));
        Assert.Equal(("127.0.0.1", (uint)((IPEndPoint)tcp.Client.LocalEndPoint!).Port), (open.ReadUtf8String(), open.ReadUInt32()));
        open.EnsureEnd("forwarded-tcpip");
        await client.SendAsync(new SshWriter(32).WriteByte(SshMessage.ChannelOpenConfirmation)
            .WriteUInt32(serverChannel).WriteUInt32(5).WriteUInt32(1000).WriteUInt32(1000).ToArray());
        await client.SendAsync(Data(serverChannel, "ping"u8.ToArray()));
        var ping = new byte[4];
        await stream.ReadExactlyAsync(ping);
        await stream.WriteAsync("pong"u8.ToArray());
        tcp.Client.Shutdown(SocketShutdown.Send);

        Assert.Equal("ping"u8.ToArray(), ping);
        Assert.Equal("pong"u8.ToArray(), (await ReceiveDataAsync(client, 4, maxPacket: 1000, channel: 5)).ToArray());
        Assert.Equal(SshMessage.ChannelEof, (await client.ReceiveMessageAsync())[0]);
    }

    [Fact]
    public async Task Forwarded_tcpip_refused_by_the_client_closes_the_accepted_connection()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var client = await LoggedInAsync(server);
        var port = await ForwardAsync(client, "", 0);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, (int)port);

        var open = new SshReader(await client.ReceiveMessageAsync());
        open.ReadByte();
        open.ReadUtf8String();
        var serverChannel = open.ReadUInt32();
        await client.SendAsync(new SshWriter(64).WriteByte(SshMessage.ChannelOpenFailure)
            .WriteUInt32(serverChannel).WriteUInt32(2).WriteString("connect failed").WriteString("").ToArray());

        Assert.Equal(0, await tcp.GetStream().ReadAsync(new byte[1]));
        await Eventually.TrueAsync(() => !server.Forwarding.Single().ForwardErrors.IsEmpty);
        Assert.Contains("connect failed", Assert.IsType<IOException>(server.Forwarding.Single().ForwardErrors.Single()).Message);
    }

    [Fact]
    public async Task Tcpip_forward_refused_by_the_handler_gets_request_failure()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        server.RefusedForwardPorts.Add(2222);
        await using var client = await LoggedInAsync(server);

        await client.SendAsync(GlobalRequest("tcpip-forward", true, w => w.WriteString("localhost").WriteUInt32(2222)));

        Assert.Equal(new[] { SshMessage.RequestFailure }, await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Direct_tcpip_credits_the_window_only_for_what_a_target_that_does_not_read_took_and_delivers_everything_in_order()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Server.ReceiveBufferSize = 64 * 1024;
        target.Start();
        const int total = 24 * 1024 * 1024;
        const int packet = 32 * 1024;
        var data = TestSessionHandler.Pattern(total);
        var startReading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowTarget = Task.Run(async () =>
        {
            using var socket = await target.AcceptSocketAsync();
            await startReading.Task;
            var received = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return received.ToArray();
        });
        await using var client = await LoggedInAsync(server);
        var channel = await OpenDirectTcpIpAsync(client, "127.0.0.1", ((IPEndPoint)target.LocalEndpoint).Port, window: 1024, maxPacket: 1024);
        long window = 2 * 1024 * 1024; // the server's initial window (ConnectionService.InitialWindowSize)
        var sent = 0;

        // Send what the window allows; a round trip (a global request the server refuses) collects the adjusts so far.
        async Task<bool> SendWhatTheWindowAllowsAsync()
        {
            var (sentBefore, credited) = (sent, 0L);
            while (sent < total && window > 0)
            {
                var count = (int)Math.Min(Math.Min(packet, window), total - sent);
                await client.SendAsync(Data(channel, data[sent..(sent + count)]));
                (sent, window) = (sent + count, window - count);
            }

            await client.SendAsync(GlobalRequest("keepalive@openssh.com", true));
            while (new SshReader(await client.ReceiveMessageAsync()) is var reader && reader.ReadByte() is var type && type != SshMessage.RequestFailure)
            {
                Assert.Equal(SshMessage.ChannelWindowAdjust, type);
                Assert.Equal(channel, reader.ReadUInt32());
                var bytes = reader.ReadUInt32();
                (window, credited) = (window + bytes, credited + bytes);
            }

            return sent != sentBefore || credited > 0;
        }

        var quietRounds = 0;
        while (quietRounds < 5 && sent < total)
        {
            quietRounds = await SendWhatTheWindowAllowsAsync() ? 0 : quietRounds + 1;
            await Task.Delay(100);
        }

        // While the target reads nothing, the client is held at what loopback's socket buffers took plus the window.
        var stalledAt = sent;
        Assert.InRange(stalledAt, 2 * 1024 * 1024, 16 * 1024 * 1024);
        startReading.SetResult();
        while (sent < total)
        {
            if (!await SendWhatTheWindowAllowsAsync())
            {
                await Task.Delay(20);
            }
        }

        await client.SendAsync(new SshWriter(8).WriteByte(SshMessage.ChannelEof).WriteUInt32(channel).ToArray());
        var delivered = await slowTarget.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(total, delivered.Length);
        Assert.True(data.AsSpan().SequenceEqual(delivered), "The target received the data out of order or altered.");
    }

    [Fact]
    public async Task Open_confirmation_for_a_channel_the_server_never_opened_is_a_protocol_error()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var client = await LoggedInAsync(server);

        await client.SendAsync(new SshWriter(32).WriteByte(SshMessage.ChannelOpenConfirmation).WriteUInt32(3).WriteUInt32(0).WriteUInt32(10).WriteUInt32(10).ToArray());

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("which we did not open", disconnect?.Description);
    }

    /// <summary>The value once it has stopped growing for half a second.</summary>
    private static async Task<long> StalledAtAsync(Func<long> read)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = read();
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - since < TimeSpan.FromMilliseconds(500))
        {
            Assert.True(DateTime.UtcNow < deadline, "The target never stopped writing.");
            await Task.Delay(50);
            if (read() != last)
            {
                (last, since) = (read(), DateTime.UtcNow);
            }
        }

        return last;
    }

    private static async Task<uint> ForwardAsync(RawSshClient client, string address, uint port)
    {
        await client.SendAsync(GlobalRequest("tcpip-forward", true, w => w.WriteString(address).WriteUInt32(port)));
        var reply = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.RequestSuccess, reply.ReadByte());
        return reply.ReadUInt32();
    }

    private static byte[] DirectTcpIp(string host, int port, uint window, uint maxPacket) =>
        new SshWriter(64).WriteByte(SshMessage.ChannelOpen).WriteString("direct-tcpip").WriteUInt32(0).WriteUInt32(window).WriteUInt32(maxPacket)
            .WriteString(host).WriteUInt32((uint)port).WriteString("127.0.0.1").WriteUInt32(50000).ToArray();

    private static async Task<uint> OpenDirectTcpIpAsync(RawSshClient client, string host, int port, uint window, uint maxPacket)
    {
        await client.SendAsync(DirectTcpIp(host, port, window, maxPacket));
        var reader = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.ChannelOpenConfirmation, reader.ReadByte());
        Assert.Equal(0u, reader.ReadUInt32());
        return reader.ReadUInt32();
    }

    private static async Task<(uint Reason, string Description)> OpenDirectTcpIpFailureAsync(RawSshClient client, string host, int port)
    {
        await client.SendAsync(DirectTcpIp(host, port, 1000, 1000));
        var reader = new SshReader(await client.ReceiveMessageAsync());
        Assert.Equal(SshMessage.ChannelOpenFailure, reader.ReadByte());
        Assert.Equal(0u, reader.ReadUInt32());
        return (reader.ReadUInt32(), reader.ReadUtf8String());
    }

    private static async Task<List<byte>> ReceiveDataAsync(RawSshClient client, int total, uint maxPacket, uint channel = 0)
    {
        var received = new List<byte>();
        while (received.Count < total)
        {
            var reader = new SshReader(await client.ReceiveMessageAsync());
            Assert.Equal(SshMessage.ChannelData, reader.ReadByte());
            Assert.Equal(channel, reader.ReadUInt32());
            var data = reader.ReadString();
            Assert.InRange(data.Length, 1, (int)maxPacket);
            received.AddRange(data.ToArray());
        }

        Assert.Equal(total, received.Count);
        return received;
    }
}
