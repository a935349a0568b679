using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>The TCP listener's limits: the unauthenticated connection budget and the handshake deadline.</summary>
public sealed class ListenerTests
{
    [Fact]
    public async Task A_newcomer_beyond_the_unauthenticated_limit_evicts_the_oldest_waiting_connection()
    {
        await using var server = TestSshServer.Start(o => o.MaxUnauthenticatedConnections = 2);
        await using var first = await RawSshClient.ConnectAsync(server.Port);
        await first.ReadServerVersionAsync();
        await using var second = await RawSshClient.ConnectAsync(server.Port);
        await second.ReadServerVersionAsync();

        await using var third = await RawSshClient.ConnectAsync(server.Port);

        Assert.StartsWith("SSH-2.0-", await third.ReadServerVersionAsync());
        await Assert.ThrowsAnyAsync<IOException>(first.ReceiveAsync);
        await server.Logs.WaitForAsync(e => e.Message.Contains("Closing unauthenticated connection from") && e.Message.Contains("2 waiting"));
        Assert.Equal(2, server.Listener.UnauthenticatedConnections);
        var run = await server.SshAsync("true");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Authenticated_connections_do_not_count_against_the_limit()
    {
        await using var server = TestSshServer.Start(o => o.MaxUnauthenticatedConnections = 1);
        var release = new TaskCompletionSource();
        var running = server.SshAsync("cat", null, release.Task);
        await server.Logs.WaitForAsync(e => e.Message.Contains("request 'exec' accepted"));

        var run = await server.SshAsync("true");
        release.SetResult();

        Assert.True(run.ExitCode == 0, run + "\n" + server.Logs.Text);
        Assert.Equal(0, (await running).ExitCode);
    }

    [Fact]
    public async Task Client_that_does_not_authenticate_in_time_is_disconnected()
    {
        // Long enough that the key exchange itself finishes on a loaded machine; the deadline must hit the idle login.
        await using var server = TestSshServer.Start(o => o.HandshakeTimeout = TimeSpan.FromSeconds(3));
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.HandshakeAsync();

        var disconnect = await client.ReadDisconnectAsync();

        Assert.Equal(Teleport.Orleans.Ssh.Transport.SshDisconnectReason.ByApplication, disconnect?.Reason);
        Assert.Contains("Authentication timed out", disconnect?.Description);
        await server.Logs.WaitForAsync(e => e.Message.Contains("not authenticated within"));
        await WaitUntilAsync(() => server.Listener.UnauthenticatedConnections == 0);
    }

    [Fact]
    public async Task Stopping_the_listener_disconnects_running_sessions()
    {
        var server = TestSshServer.Start();
        var directory = server.Directory;
        var identity = server.WriteClientKey(TestKeys.Get(Teleport.Orleans.Ssh.Keys.SshKeyType.Ed25519));
        server.AuthorizedKeys.Add(TestKeys.Get(Teleport.Orleans.Ssh.Keys.SshKeyType.Ed25519).PublicKey);
        var arguments = server.ClientArguments(identity, server.WriteKnownHosts(), "alice");
        arguments.Add("cat");
        // stdin stays open, so cat runs until the server stops.
        var release = new TaskCompletionSource();
        var running = OpenSshClient.RunAsync(arguments, input: null, release.Task);
        await server.Logs.WaitForAsync(e => e.Message.Contains("request 'exec' accepted"));

        await server.DisposeAsync();

        release.SetResult();
        var run = await running;
        Assert.Equal(255, run.ExitCode);
        Assert.Contains("shutting down", run.Error);
        Assert.False(Directory.Exists(directory.Path));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(20);
        }
    }
}
