using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>The real ssh forwarding ports through our server: -W and -J (direct-tcpip), -L, -R (tcpip-forward, forwarded-tcpip).</summary>
public sealed partial class OpenSshForwardingTests
{
    [Fact]
    public async Task Ssh_W_carries_a_megabyte_to_an_echo_server_and_back_byte_exact()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        var data = TestSessionHandler.Pattern(1024 * 1024);

        var run = await OpenSshClient.RunAsync(["-F", server.WriteClientConfig(), "-W", $"127.0.0.1:{echo.Port}", "127.0.0.1"], data);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(run.Output));
        var request = Assert.Single(Assert.Single(server.Forwarding).DirectRequests);
        Assert.Equal(("127.0.0.1", (uint)echo.Port), (request.Host, request.Port));
        Assert.Equal("alice", server.Forwarding.Single().Context.UserName);
    }

    [Fact]
    public async Task Ssh_J_jumps_through_the_server_to_itself_and_runs_a_command()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);

        var run = await OpenSshClient.RunAsync(["-F", server.WriteClientConfig(), "-J", "127.0.0.1", "127.0.0.1", "whoami"]);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal("alice\n", run.Text);
        var request = Assert.Single(server.Forwarding.SelectMany(f => f.DirectRequests));
        Assert.Equal(("127.0.0.1", (uint)server.Port), (request.Host, request.Port));
    }

    [Fact]
    public async Task Ssh_L_forwards_a_local_socket_to_an_echo_server()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        var socketPath = server.Directory.File("forward.sock");
        await using var ssh = InteractiveProcess.Start(
            "/usr/bin/ssh", ["-F", server.WriteClientConfig(), "-N", "-o", "ExitOnForwardFailure=yes", "-L", $"{socketPath}:127.0.0.1:{echo.Port}", "127.0.0.1"]);
        await Eventually.TrueAsync(() => File.Exists(socketPath) || ssh.HasExited);

        var first = await EchoServer.RoundTripAsync(new UnixDomainSocketEndPoint(socketPath), TestSessionHandler.Pattern(3 * 1024 * 1024));
        var second = await EchoServer.RoundTripAsync(new UnixDomainSocketEndPoint(socketPath), "again"u8.ToArray());

        Assert.True(first, ssh.ToString() + "\n" + server.Logs.Text);
        Assert.True(second);
        Assert.Equal(2, echo.Accepted);
        // Both channels closed cleanly: nothing is left open on the server.
        await server.Logs.WaitForAsync(e => e.Message.Contains("direct-tcpip") && e.Message.Contains("opened"));
    }

    [Fact]
    public async Task Ssh_R_with_port_0_gets_the_port_the_handler_bound_and_connections_come_back_through_it()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        await using var echo = new EchoServer();
        var ssh = InteractiveProcess.Start(
            "/usr/bin/ssh", ["-F", server.WriteClientConfig(), "-N", "-o", "ExitOnForwardFailure=yes", "-R", $"0:127.0.0.1:{echo.Port}", "127.0.0.1"]);
        TestForwardingHandler.Listener listener;
        await using (ssh)
        {
            await ssh.WaitForErrorAsync($"for remote forward to 127.0.0.1:{echo.Port}");
            var port = int.Parse(AllocatedPort().Match(ssh.Error).Groups[1].Value, CultureInfo.InvariantCulture);
            listener = Assert.Single(Assert.Single(server.Forwarding).Listeners);
            Assert.Equal((uint)port, listener.Port);
            Assert.Equal(("localhost", 0u), server.Forwarding.Single().ListenRequests.Single());

            Assert.True(await EchoServer.RoundTripAsync(new IPEndPoint(IPAddress.Loopback, port), TestSessionHandler.Pattern(2 * 1024 * 1024)), ssh + "\n" + server.Logs.Text);
            Assert.True(await EchoServer.RoundTripAsync(new IPEndPoint(IPAddress.Loopback, port), "second"u8.ToArray()));
            Assert.Empty(server.Forwarding.Single().ForwardErrors);
        }

        // ssh is gone (killed): the connection ended, so the handler's listener was stopped.
        await Eventually.TrueAsync(() => listener.IsStopped);
    }

    [Fact]
    public async Task Ssh_R_refused_by_the_handler_fails_when_forward_failures_are_fatal()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        server.RefusedForwardPorts.Add(7);

        var run = await OpenSshClient.RunAsync(["-F", server.WriteClientConfig(), "-N", "-o", "ExitOnForwardFailure=yes", "-R", "7:127.0.0.1:9", "127.0.0.1"]);

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("remote port forwarding failed for listen port 7", run.Error);
    }

    [Fact]
    public async Task Ssh_W_to_a_port_nobody_listens_on_reports_connect_failed()
    {
        await using var server = TestSshServer.StartInteractive(forwarding: true);
        var closedPort = ClosedPort();

        var run = await OpenSshClient.RunAsync(["-F", server.WriteClientConfig(), "-W", $"127.0.0.1:{closedPort}", "127.0.0.1"]);

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("open failed: connect failed", run.Error);
    }

    /// <summary>A loopback port with no listener (bound, then released; nothing else here binds it meanwhile).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Allocated port (\d+) for remote forward")]
    private static partial Regex AllocatedPort();
}
