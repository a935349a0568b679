using System.Net;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>SSH.NET 2026.0.0, the common .NET client, against our server: exec, exit signals, a shell stream, SFTP.</summary>
public sealed class SshNetClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Exec_returns_output_and_exit_status()
    {
        await using var server = TestSshServer.StartInteractive();
        using var client = Connect(server);

        using var echo = client.RunCommand("echo hello from ssh.net");
        using var exit = client.RunCommand("exit 5");

        Assert.Equal("hello from ssh.net\n", echo.Result);
        Assert.Equal(0, echo.ExitStatus);
        Assert.Equal(5, exit.ExitStatus);
        Assert.Null(exit.ExitSignal);
    }

    [Fact]
    public async Task Cancelling_a_command_sends_a_signal_and_the_exit_signal_comes_back()
    {
        await using var server = TestSshServer.StartInteractive();
        using var client = Connect(server);
        using var command = client.CreateCommand("wait-signal");

        var running = command.ExecuteAsync();
        using (var reader = new StreamReader(command.OutputStream, leaveOpen: true))
        {
            Assert.Equal("waiting", await reader.ReadLineAsync().WaitAsync(Timeout));
        }

        command.CancelAsync(forceKill: false);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Timeout));

        Assert.Equal("TERM", command.ExitSignal);
        Assert.Null(command.ExitStatus);
    }

    [Fact]
    public async Task Shell_stream_gets_a_pty_echoes_and_runs_lines()
    {
        await using var server = TestSshServer.StartInteractive();
        using var client = Connect(server);

        using var shell = client.CreateShellStream("xterm", 120, 40, 800, 600, 4096);
        // SSH.NET deadlocks when it disposes a shell stream while the server's CHANNEL_CLOSE is being handled (its
        // reader thread disposes the stream under the lock the disposing thread holds while it waits for that close);
        // a hang dump showed both threads. The test waits for our close, as a client that reads to the end would.
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shell.Closed += (_, _) => closed.TrySetResult();
        var greeting = shell.Expect("$ ", Timeout);
        shell.WriteLine("whoami");
        var whoami = shell.Expect("$ ", Timeout);
        shell.WriteLine("exit 0");
        await closed.Task.WaitAsync(Timeout);

        Assert.Contains("pty TERM=xterm size=120x40", greeting);
        Assert.Contains("whoami\r\nalice\r\n", whoami);
        var session = Assert.Single(server.Sessions);
        Assert.Equal((800u, 600u), (session.Pty!.Size.WidthPixels, session.Pty.Size.HeightPixels));
    }

    [Fact]
    public async Task Sftp_uploads_lists_and_downloads_several_megabytes_byte_exact()
    {
        await using var server = TestSshServer.StartInteractive();
        var key = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(key.PublicKey);
        using var sftp = new SftpClient(ConnectionInfo(server, key));
        sftp.HostKeyReceived += (_, e) => e.CanTrust = e.HostKey.AsSpan().SequenceEqual(server.Options.HostKeys[0].PublicKey.Blob);
        sftp.Connect();
        var data = TestSessionHandler.Pattern(4 * 1024 * 1024 + 17);
        var directory = server.Directory.File("sftp");
        var path = directory + "/upload.bin";

        sftp.CreateDirectory(directory);
        using (var upload = new MemoryStream(data))
        {
            sftp.UploadFile(upload, path);
        }

        var listing = sftp.ListDirectory(directory).Where(f => f.Name == "upload.bin").ToList();
        using var download = new MemoryStream();
        sftp.DownloadFile(path, download);
        sftp.DeleteFile(path);

        Assert.Equal(data.Length, Assert.Single(listing).Length);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(download.ToArray()));
        Assert.False(File.Exists(path));
        Assert.Equal("sftp", Assert.Single(server.Sessions).Subsystem);
    }

    [Fact]
    public async Task Local_port_forward_reaches_an_echo_server_through_direct_tcpip()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        using var client = Connect(server);
        using var forward = new ForwardedPortLocal("127.0.0.1", 0, "127.0.0.1", (uint)echo.Port);
        client.AddForwardedPort(forward);

        forward.Start();
        var echoed = await EchoServer.RoundTripAsync(new IPEndPoint(IPAddress.Loopback, (int)forward.BoundPort), TestSessionHandler.Pattern(1024 * 1024), halfClose: false);
        forward.Stop();

        Assert.True(echoed, server.Logs.Text);
        Assert.Equal((uint)echo.Port, Assert.Single(Assert.Single(server.Forwarding).DirectRequests).Port);
    }

    [Fact]
    public async Task Remote_port_forward_brings_connections_back_through_forwarded_tcpip()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        using var client = Connect(server);
        using var forward = new ForwardedPortRemote(IPAddress.Loopback, 0, IPAddress.Loopback, (uint)echo.Port);
        client.AddForwardedPort(forward);

        forward.Start();
        var listener = Assert.Single(Assert.Single(server.Forwarding).Listeners);
        var echoed = await EchoServer.RoundTripAsync(new IPEndPoint(IPAddress.Loopback, (int)listener.Port), TestSessionHandler.Pattern(1024 * 1024), halfClose: false);
        forward.Stop();

        Assert.True(echoed, server.Logs.Text);
        await Eventually.TrueAsync(() => listener.IsStopped);
    }

    private static SshClient Connect(TestSshServer server)
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        if (!server.AuthorizedKeys.Contains(key.PublicKey))
        {
            server.AuthorizedKeys.Add(key.PublicKey);
        }

        var client = new SshClient(ConnectionInfo(server, key));
        client.HostKeyReceived += (_, e) => e.CanTrust = e.HostKey.AsSpan().SequenceEqual(server.Options.HostKeys[0].PublicKey.Blob);
        client.Connect();
        return client;
    }

    private static ConnectionInfo ConnectionInfo(TestSshServer server, SshPrivateKey key)
    {
        var pem = new MemoryStream(Encoding.ASCII.GetBytes(key.ToOpenSshPem("client")));
        return new ConnectionInfo("127.0.0.1", server.Port, "alice", new PrivateKeyAuthenticationMethod("alice", new PrivateKeyFile(pem)))
        {
            Timeout = Timeout,
        };
    }
}
