using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using ServerWindowSize = Teleport.Orleans.Ssh.Connection.SshWindowSize;
using TerminalMode = Teleport.Orleans.Ssh.Connection.SshTerminalMode;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>The project's own SSH client against the server's sessions beyond exec and its port forwarding.</summary>
public sealed class OwnClientSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Pty_shell_and_window_change_from_our_client_reach_the_handler()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        await session.RequestPtyAsync("vt100", new ServerWindowSize(90, 20, 0, 0), new Dictionary<TerminalMode, uint> { [TerminalMode.VINTR] = 3, [TerminalMode.ECHO] = 0 });
        await session.StartShellAsync();
        var greeting = await ReadUntilAsync(session.StandardOutput, "$ ");
        await session.ChangeWindowSizeAsync(new ServerWindowSize(100, 50, 0, 0));
        await Eventually.TrueAsync(() => server.Sessions.Single().WindowChanges.Contains(new ServerWindowSize(100, 50, 0, 0)));
        await session.StandardInput.WriteAsync("size\r"u8.ToArray());
        var size = await ReadUntilAsync(session.StandardOutput, "$ ");
        await session.StandardInput.WriteAsync("exit 4\r"u8.ToArray());

        Assert.Equal("pty TERM=vt100 size=90x20 VINTR=3\r\n$ ", greeting);
        Assert.Contains("size=100x50\r\n", size);
        Assert.Equal(0u, server.Sessions.Single().Pty!.Modes[TerminalMode.ECHO]);
        Assert.Equal(4, (await session.WaitForExitAsync().WaitAsync(Timeout)).ExitCode);
    }

    [Fact]
    public async Task Signal_from_our_client_ends_the_program_and_the_exit_signal_comes_back()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await ConnectAsync(server);
        await using var session = await client.OpenSessionAsync();

        await session.ExecAsync("wait-signal");
        await ReadUntilAsync(session.StandardOutput, "waiting\n");
        await session.SendSignalAsync("HUP");
        var status = await session.WaitForExitAsync().WaitAsync(Timeout);

        Assert.Equal(("HUP", false, (int?)null), (status.Signal, status.CoreDumped, status.ExitCode));
    }

    [Fact]
    public async Task Exit_signal_carries_core_dump_flag_and_message_to_our_client()
    {
        await using var server = TestSshServer.StartInteractive();
        await using var client = await ConnectAsync(server);

        var result = await client.RunCommandAsync("kill SIGSEGV");

        Assert.Equal(new SshExitStatus(null, "SEGV", false, "killed by the test"), result.ExitStatus);
    }

    [Fact]
    public async Task Direct_tcpip_from_our_client_carries_a_megabyte_to_an_echo_server_and_back()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        await using var client = await ConnectAsync(server);
        var data = TestSessionHandler.Pattern(1024 * 1024);

        await using var tunnel = await client.OpenDirectTcpIpAsync("127.0.0.1", echo.Port);
        var writing = tunnel.WriteAsync(data).AsTask();
        var received = new byte[data.Length];
        await tunnel.ReadExactlyAsync(received).AsTask().WaitAsync(Timeout);
        await writing;

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
    }

    private static async Task<SshClient> ConnectAsync(TestSshServer server)
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(key.PublicKey);
        return await SshClient.ConnectAsync("127.0.0.1", server.Port, ClientOptions.For("alice", key, SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey)));
    }

    /// <summary>Reads until the text read so far ends with <paramref name="end"/>.</summary>
    private static async Task<string> ReadUntilAsync(Stream stream, string end)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, timeout.Token) == 0)
            {
                throw new EndOfStreamException($"The stream ended after '{text}'.");
            }

            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }
}
