using System.Text;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Our client against our own server's interactive sessions and forwarding: pty, shell, signals, sftp, direct-tcpip.</summary>
public sealed class OwnServerInteractiveTests
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    [Fact]
    public async Task A_pty_request_carries_the_terminal_size_and_modes_and_window_changes_follow()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        await session.RequestPtyAsync("xterm-256color", new SshWindowSize(100, 30, 800, 600), new Dictionary<SshTerminalMode, uint> { [SshTerminalMode.VINTR] = 3, [SshTerminalMode.ECHO] = 1 });
        await session.StartShellAsync();
        await session.ChangeWindowSizeAsync(new SshWindowSize(120, 40, 0, 0));
        var greeting = await ReadUntilAsync(session.StandardOutput, "$ ");

        var handler = Assert.Single(server.Sessions);
        Assert.Equal("pty TERM=xterm-256color size=100x30 VINTR=3\r\n$ ", greeting);
        Assert.Equal(new SshWindowSize(100, 30, 800, 600), handler.Pty!.Size);
        Assert.Equal(1u, handler.Pty.Modes[SshTerminalMode.ECHO]);
        await Eventually.TrueAsync(() => handler.WindowChanges.Contains(new SshWindowSize(120, 40, 0, 0)));
    }

    [Fact]
    public async Task A_shell_answers_what_is_typed_and_exits_with_its_status()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        await session.RequestPtyAsync("vt100", new SshWindowSize(80, 24, 0, 0));
        await session.StartShellAsync();
        await ReadUntilAsync(session.StandardOutput, "$ ");
        await session.StandardInput.WriteAsync("hello\r"u8.ToArray());
        var answer = await ReadUntilAsync(session.StandardOutput, "$ ");
        await session.StandardInput.WriteAsync("exit 9\r"u8.ToArray());

        Assert.Equal("hello\r\nyou typed: hello\r\n$ ", answer);
        Assert.Equal(9, (await session.WaitForExitAsync()).ExitCode);
    }

    [Fact]
    public async Task A_signal_request_ends_the_program_with_that_exit_signal()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        await session.ExecAsync("wait-signal");
        await ReadUntilAsync(session.StandardOutput, "waiting\n");
        await session.SendSignalAsync("TERM");
        var status = await session.WaitForExitAsync();

        Assert.Equal("TERM", status.Signal);
        Assert.Null(status.ExitCode);
    }

    [Fact]
    public async Task The_sftp_subsystem_of_our_server_answers_its_version_handshake()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        await session.StartSubsystemAsync("sftp");
        await session.StandardInput.WriteAsync(new byte[] { 0, 0, 0, 5, 1, 0, 0, 0, 3 }); // SSH_FXP_INIT, version 3
        var header = new byte[5];
        await session.StandardOutput.ReadExactlyAsync(header);

        Assert.Equal(2, header[4]); // SSH_FXP_VERSION
        Assert.Equal("sftp", Assert.Single(server.Sessions).Subsystem);
    }

    [Fact]
    public async Task An_unknown_subsystem_is_a_refused_request()
    {
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        var error = await Assert.ThrowsAsync<SshRequestFailedException>(() => session.StartSubsystemAsync("no-such-subsystem"));

        Assert.Contains("'subsystem' request for 'no-such-subsystem'", error.Message);
    }

    [Fact]
    public async Task Direct_tcpip_through_our_server_reaches_an_echo_server_in_both_directions()
    {
        await using var echo = EchoServer.Start();
        await using var server = StartServer();
        await using var client = await ConnectAsync(server);
        var data = TestSessionHandler.Pattern(3_000_000);

        await using var tunnel = await client.OpenDirectTcpIpAsync("127.0.0.1", echo.Port, "10.1.2.3", 4567);
        var reading = Task.Run(async () =>
        {
            var copy = new MemoryStream();
            await tunnel.CopyToAsync(copy);
            return copy.ToArray();
        });
        await tunnel.WriteAsync(data);
        await tunnel.ShutdownWriteAsync();

        var received = await reading;
        Assert.True(data.AsSpan().SequenceEqual(received), "The data changed in transit.");
        var request = Assert.Single(Assert.Single(server.Forwarding).DirectRequests);
        Assert.Equal(("127.0.0.1", (uint)echo.Port, "10.1.2.3", 4567u), (request.Host, request.Port, request.OriginatorAddress, request.OriginatorPort));
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string end)
    {
        var text = new StringBuilder();
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, timeout.Token) == 0)
            {
                throw new EndOfStreamException($"The stream ended after '{text}', before '{end}'.");
            }

            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }

    private static TestSshServer StartServer()
    {
        var server = TestSshServer.StartInteractive(forwarding: true);
        server.AuthorizedKeys.Add(UserKey.PublicKey);
        return server;
    }

    private static Task<SshClient> ConnectAsync(TestSshServer server) =>
        SshClient.ConnectAsync("127.0.0.1", server.Port, ClientOptions.For("alice", UserKey, SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey)));
}
