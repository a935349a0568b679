using System.Net;
using System.Net.Sockets;
using System.Text;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.EndToEnd;

/// <summary>tsh ssh -L and -N through the stand-in proxy to a real sshd node, tsh running as its own process.</summary>
public sealed class SshForwardingTests(StandInProxyFixture fixture) : IClassFixture<StandInProxyFixture>
{
    private static string Login => Environment.UserName;

    [Fact]
    public async Task A_local_forward_carries_a_connection_to_a_service_beside_the_node_and_sigterm_ends_tsh_cleanly()
    {
        await using var echo = new EchoServer();
        var port = FreePort();
        using var tsh = new BackgroundTsh(fixture.Home.Path, "ssh", "-N", "-L", $"{port}:127.0.0.1:{echo.Port}", $"{Login}@localhost");

        using var connection = await ConnectAsync(tsh, port);
        var stream = connection.GetStream();
        await stream.WriteAsync("ping through the node\n"u8.ToArray());
        var echoed = await ReadLineAsync(stream);
        var result = await tsh.TerminateAsync();

        Assert.Equal("ping through the node", echoed);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Exception", result.Error);
        Assert.DoesNotContain("ERROR", result.Error);
    }

    [Fact]
    public async Task A_forward_the_node_refuses_prints_one_line_per_connection_and_tsh_keeps_forwarding()
    {
        using var home = new TempDirectory();
        var login = await new TshRun(home.Path).RunWithInputAsync(
            $"{StandInProxy.Password}\n{StandInProxy.Otp}\n", "login", $"--proxy={fixture.ProxyAddress}", $"--user={StandInProxy.NoForwardUser}", "--insecure");
        Assert.True(login.ExitCode == 0, login.ToString());
        await using var echo = new EchoServer();
        var port = FreePort();
        using var tsh = new BackgroundTsh(home.Path, "ssh", "-N", "-L", $"{port}:127.0.0.1:{echo.Port}", $"{Login}@localhost");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var connection = await ConnectAsync(tsh, port);
            // The refused connection is closed without a byte.
            Assert.Equal(0, await connection.GetStream().ReadAsync(new byte[16]));
        }

        var result = await tsh.TerminateAsync();

        Assert.Equal(0, result.ExitCode);
        var refusals = result.Error.Split('\n').Where(l => l.Contains("the node refused it", StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count == 2, result.Error);
        Assert.Contains($"Forwarding to 127.0.0.1:{echo.Port} failed", refusals[0]);
        Assert.Contains("port forwarding is not permitted", refusals[0]);
        Assert.DoesNotContain("Exception", result.Error);
    }

    [Fact]
    public async Task A_malformed_forward_is_refused_with_a_sentence()
    {
        var result = await fixture.Tsh.RunAsync("ssh", "-N", "-L", "8080:nowhere", $"{Login}@localhost");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("ERROR: '8080:nowhere' is not a local forward: expected -L [bind_address:]port:host:hostport.", result.Error);
    }

    [Fact]
    public async Task A_port_already_taken_is_refused_with_a_sentence()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await fixture.Tsh.RunAsync("ssh", "-N", "-L", $"{port}:127.0.0.1:22", $"{Login}@localhost");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains($"ERROR: Cannot listen on 127.0.0.1:{port} for -L", result.Error);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Connects once tsh listens (it first logs in to the proxy and the node).</summary>
    private static async Task<TcpClient> ConnectAsync(BackgroundTsh tsh, int port)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return client;
            }
            catch (SocketException) when (!tsh.HasExited)
            {
                client.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                throw new InvalidOperationException($"tsh ended before it listened:\n{tsh.Error}");
            }
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, timeout.Token) == 1 && buffer[0] != '\n')
        {
            line.Append((char)buffer[0]);
        }

        return line.ToString();
    }
}
