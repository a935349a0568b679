using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;
using static Teleport.Orleans.Ssh.Tests.Support.RawChannels;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>Session requests beyond exec (RFC 4254 §6) on the wire: pty-req, shell, window-change, signal, exit-signal.</summary>
public sealed class SessionRequestTests
{
    [Fact]
    public async Task Pty_request_hands_the_terminal_type_size_and_modes_to_the_handler()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(100_000, 32_768);
        var modes = new SshWriter(64)
            .WriteByte(1).WriteUInt32(3)           // VINTR ^C
            .WriteByte(53).WriteUInt32(1)          // ECHO on
            .WriteByte(128).WriteUInt32(38400)     // TTY_OP_ISPEED
            .WriteByte(120).WriteUInt32(7)         // an opcode with no name yet: kept by number
            .WriteByte(1).WriteUInt32(4)           // repeated: the last value wins
            .WriteByte(200).WriteUInt32(9)         // 160 and above: parsing stops here
            .WriteByte(2).WriteUInt32(28);

        var accepted = await client.RequestAsync(channel, "pty-req", w => w
            .WriteString("xterm-256color").WriteUInt32(132).WriteUInt32(43).WriteUInt32(1056).WriteUInt32(688).WriteString(modes));

        Assert.True(accepted);
        var pty = Assert.Single(server.Sessions).Pty!;
        Assert.Equal("xterm-256color", pty.Terminal);
        Assert.Equal(new SshWindowSize(132, 43, 1056, 688), pty.Size);
        Assert.Equal(
            new Dictionary<SshTerminalMode, uint> { [SshTerminalMode.VINTR] = 4, [SshTerminalMode.ECHO] = 1, [(SshTerminalMode)120] = 7, [SshTerminalMode.InputSpeed] = 38400 },
            pty.Modes);
    }

    [Fact]
    public async Task Truncated_terminal_modes_are_a_protocol_error()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(100_000, 32_768);

        await client.SendAsync(Request(channel, "pty-req", true, w => w
            .WriteString("vt100").WriteUInt32(80).WriteUInt32(24).WriteUInt32(0).WriteUInt32(0).WriteString([1, 0, 0])));

        var disconnect = await client.ReadDisconnectAsync();
        Assert.Equal(SshDisconnectReason.ProtocolError, disconnect?.Reason);
        Assert.Contains("malformed 'pty-req'", disconnect?.Description);
    }

    [Fact]
    public async Task Shell_runs_with_the_pty_and_window_change_reaches_the_handler()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(100_000, 32_768);
        Assert.True(await client.RequestAsync(channel, "pty-req", w => w
            .WriteString("vt220").WriteUInt32(80).WriteUInt32(24).WriteUInt32(0).WriteUInt32(0).WriteString([0])));
        Assert.True(await client.RequestAsync(channel, "shell"));

        await client.SendAsync(Request(channel, "window-change", false, w => w.WriteUInt32(100).WriteUInt32(30).WriteUInt32(0).WriteUInt32(0)));
        await client.SendAsync(Data(channel, "size\rexit 7\r"u8.ToArray()));

        var messages = await client.ReceiveUntilCloseAsync();
        var text = string.Concat(messages.Where(m => m[0] == SshMessage.ChannelData).Select(m => new SshReader(m.AsSpan(5)).ReadUtf8String()));
        Assert.StartsWith("pty TERM=vt220 size=80x24 VINTR=-1\r\n$ ", text);
        Assert.Contains("size=100x30\r\n", text);
        Assert.Equal(new SshWindowSize(100, 30, 0, 0), Assert.Single(server.Sessions.Single().WindowChanges));
        Assert.Equal(("exit-status", 7u), ExitStatus(messages));
    }

    [Fact]
    public async Task Requests_that_prepare_a_program_are_refused_once_it_runs()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(100_000, 32_768);
        Assert.True(await client.RequestAsync(channel, "auth-agent-req@openssh.com"));
        Assert.True(await client.RequestAsync(channel, "shell"));

        var ptyLate = await client.RequestAsync(channel, "pty-req", w => w
            .WriteString("vt100").WriteUInt32(80).WriteUInt32(24).WriteUInt32(0).WriteUInt32(0).WriteString([0]));
        var agentLate = await client.RequestAsync(channel, "auth-agent-req@openssh.com");
        var secondShell = await client.RequestAsync(channel, "shell");
        var unknown = await client.RequestAsync(channel, "winadj@putty.projects.tartarus.org");

        Assert.False(ptyLate || agentLate || secondShell || unknown);
        Assert.True(server.Sessions.Single().AgentForwardingRequested);
    }

    [Fact]
    public async Task Program_ended_by_a_signal_sends_exit_signal_instead_of_exit_status()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(100_000, 32_768);

        Assert.True(await client.RequestAsync(channel, "exec", w => w.WriteString("kill SIGSEGV")));

        var messages = await client.ReceiveUntilCloseAsync();
        Assert.Equal([SshMessage.ChannelEof, SshMessage.ChannelRequest, SshMessage.ChannelClose], messages.Select(m => m[0]));
        var reader = new SshReader(messages[1]);
        reader.ReadByte();
        reader.ReadUInt32();
        Assert.Equal("exit-signal", reader.ReadUtf8String());
        Assert.False(reader.ReadBoolean());
        Assert.Equal("SEGV", reader.ReadUtf8String());
        Assert.False(reader.ReadBoolean());
        Assert.Equal("killed by the test", reader.ReadUtf8String());
        Assert.Equal("", reader.ReadUtf8String());
        reader.EnsureEnd("exit-signal");
    }

    [Fact]
    public async Task Signal_request_reaches_the_running_program()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await LoggedInAsync(server);
        var channel = await client.OpenSessionAsync(100_000, 32_768);
        Assert.True(await client.RequestAsync(channel, "exec", w => w.WriteString("wait-signal")));
        Assert.Equal(SshMessage.ChannelData, (await client.ReceiveMessageAsync())[0]);

        await client.SendAsync(Request(channel, "signal", false, w => w.WriteString("INT")));

        var messages = await client.ReceiveUntilCloseAsync();
        Assert.Equal(("exit-signal", "INT"), ExitSignal(messages));
    }

    private static (string, uint) ExitStatus(List<byte[]> messages)
    {
        var reader = new SshReader(messages.Single(m => m[0] == SshMessage.ChannelRequest));
        reader.ReadByte();
        reader.ReadUInt32();
        var type = reader.ReadUtf8String();
        reader.ReadBoolean();
        return (type, reader.ReadUInt32());
    }

    private static (string, string) ExitSignal(List<byte[]> messages)
    {
        var reader = new SshReader(messages.Single(m => m[0] == SshMessage.ChannelRequest));
        reader.ReadByte();
        reader.ReadUInt32();
        var type = reader.ReadUtf8String();
        reader.ReadBoolean();
        return (type, reader.ReadUtf8String());
    }
}
