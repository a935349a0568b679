using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Server;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>
/// A real OpenSSH client still logs in while the listener is flooded with silent and garbage connections, and a
/// client over teleport.connection_limits is told why it is refused.
/// </summary>
public sealed class ListenerFloodTests
{
    [Fact]
    public async Task A_user_logs_in_while_hundreds_of_silent_connections_and_garbage_senders_hold_the_port()
    {
        await using var server = TestSshServer.Start(o =>
        {
            o.MaxUnauthenticatedConnections = 64;
            o.MaxUnauthenticatedConnectionsPerAddress = 16;
        });
        var silent = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                silent.Add(await ConnectAsync(server.Port));
            }

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendGarbageAsync(server.Port, 256 * 1024)));

            var run = await server.SshAsync("echo logged in");

            Assert.True(run.ExitCode == 0, run + "\n" + server.Logs.Text);
            Assert.Equal("logged in\n", run.Text);
            Assert.True(server.Listener.UnauthenticatedConnections <= 16, $"{server.Listener.UnauthenticatedConnections} connections wait");
        }
        finally
        {
            foreach (var client in silent)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_client_over_max_connections_is_told_which_limit_refused_it()
    {
        await using var server = TestSshServer.Start(o =>
            o.ConnectionLimiter = new ConnectionLimiter(maxConnectionsPerAddress: 2, maxUsers: 10, o.LoggerFactory!.CreateLogger<ConnectionLimiter>()));
        using var first = await ConnectAsync(server.Port);
        using var second = await ConnectAsync(server.Port);
        await server.Logs.WaitForAsync(_ => server.Listener.UnauthenticatedConnections == 2);

        var run = await server.SshAsync("true");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("max_connections is 2", run.Error);
        await server.Logs.WaitForAsync(e => e.Message.Contains("teleport.connection_limits.max_connections"));
    }

    [Fact]
    public async Task A_user_over_max_users_is_told_which_limit_refused_them()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerAddress: 10, maxUsers: 1);
        await using var server = TestSshServer.Start(o => o.ConnectionLimiter = limiter);
        using (limiter.TryAcquireUser("someone-else", "test"))
        {
            var refused = await server.SshAsync("true");

            Assert.Equal(255, refused.ExitCode);
            Assert.Contains("max_users is 1", refused.Error);
        }

        var run = await server.SshAsync("true");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        return client;
    }

    /// <summary>Random bytes until the server closes the connection or all are sent.</summary>
    private static async Task SendGarbageAsync(int port, int size)
    {
        using var client = await ConnectAsync(port);
        var stream = client.GetStream();
        var garbage = RandomNumberGenerator.GetBytes(size);
        try
        {
            for (var offset = 0; offset < size; offset += 16 * 1024)
            {
                await stream.WriteAsync(garbage.AsMemory(offset, Math.Min(16 * 1024, size - offset)));
            }
        }
        catch (IOException)
        {
            // The server closed the connection at the first malformed line: what should happen.
            return;
        }

        // Wait for the server to hang up: closing first, with its banner unread, would reset the connection and the
        // server could lose the garbage before reading it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // Reset, or still open after 20 s: the log the test waits for says what the server did.
        }
    }
}
