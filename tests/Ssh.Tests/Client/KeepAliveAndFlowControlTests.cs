using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Keep-alives on an idle or hung connection, and back-pressure from a reader that stops reading.</summary>
public sealed class KeepAliveAndFlowControlTests
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    [Fact]
    public async Task An_idle_connection_sends_keepalives_at_the_configured_interval()
    {
        await using var server = StartServer();
        var options = Options(server);
        options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);

        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, options);

        await server.Logs.WaitForAsync(e => e.Message.Contains("'keepalive@openssh.com' (want reply True)"));
        Assert.False(client.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_server_that_stops_answering_keepalives_ends_the_connection()
    {
        await using var server = StartServer();
        await using var proxy = PausableProxy.Start(server.Port);
        var options = Options(server);
        options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
        options.KeepAliveCountMax = 2;
        await using var client = await SshClient.ConnectAsync("127.0.0.1", proxy.Port, options);
        await using var session = await client.OpenSessionAsync();
        await session.ExecAsync("cat");

        proxy.Pause();

        var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(SshDisconnectReason.ConnectionLost, closed!.DisconnectReason);
        Assert.Contains("did not answer 2 keep-alives", closed.Message);
        await Assert.ThrowsAsync<SshConnectionException>(() => session.WaitForExitAsync());
    }

    [Fact]
    public async Task A_reader_that_stops_reading_stops_the_server_at_the_window_and_loses_nothing()
    {
        await using var server = StartServer();
        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, Options(server));
        await using var session = await client.OpenSessionAsync();
        const int total = 10_000_000;

        await session.ExecAsync($"generate {total}");
        var output = session.Channel.Output;
        await WaitUntilAsync(() => output.BufferedBytes == ClientChannel.InitialWindowSize);
        await client.SendKeepAliveAsync(); // a round trip: anything more the server sent has arrived by now
        var stalledAt = output.BufferedBytes;
        var copy = new MemoryStream();
        await session.StandardOutput.CopyToAsync(copy);

        Assert.Equal(ClientChannel.InitialWindowSize, stalledAt);
        Assert.Equal(total, copy.Length);
        Assert.Equal(0, (await session.WaitForExitAsync()).ExitCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true.");
            await Task.Delay(10);
        }
    }

    private static TestSshServer StartServer()
    {
        var server = TestSshServer.Start();
        server.AuthorizedKeys.Add(UserKey.PublicKey);
        return server;
    }

    private static SshClientOptions Options(TestSshServer server) =>
        ClientOptions.For("alice", UserKey, SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey));
}
