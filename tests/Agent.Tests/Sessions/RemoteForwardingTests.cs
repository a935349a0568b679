using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Agent.Tests.Support;

namespace Teleport.Orleans.Agent.Tests.Sessions;

/// <summary>Remote forwarding (ssh -R, tcpip-forward) with OpenSSH's client, as the roles allow it.</summary>
public sealed class RemoteForwardingTests
{
    [Fact]
    public async Task A_remote_forward_carries_a_connection_made_on_the_node_to_a_service_beside_the_client()
    {
        await using var node = new NodeServer(login => login with { RemotePortForwardingAllowed = true });
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var serve = AnswerOnceAsync(service, "answer-from-client-side\n");
        var port = FreePort();

        // bash's /dev/tcp connects on the node to the port the node listens on for the forward.
        var run = await node.SshAsync(
            $"exec 3<>/dev/tcp/127.0.0.1/{port}; head -1 <&3",
            null, null, "-o", "ExitOnForwardFailure=yes", "-R", $"{port}:127.0.0.1:{((IPEndPoint)service.LocalEndpoint).Port}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("answer-from-client-side\n", run.Text);
        await serve.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(node.Observer.PortForwards, p => p.Destination == $"localhost:{port}" && p.Allowed);
    }

    [Fact]
    public async Task The_node_listens_on_loopback_only_whatever_address_the_client_names()
    {
        await using var node = new NodeServer(login => login with { RemotePortForwardingAllowed = true });
        var port = FreePort();

        var run = await node.SshAsync(
            $"ss -Hltn 'sport = :{port}' | awk '{{print $4}}'", null, null, "-o", "ExitOnForwardFailure=yes", "-R", $"0.0.0.0:{port}:127.0.0.1:9");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"127.0.0.1:{port}\n", run.Text);
    }

    [Fact]
    public async Task The_forward_stops_listening_when_the_client_disconnects()
    {
        await using var node = new NodeServer(login => login with { RemotePortForwardingAllowed = true });
        var port = FreePort();

        var run = await node.SshAsync("true", null, null, "-o", "ExitOnForwardFailure=yes", "-R", $"{port}:127.0.0.1:9");

        Assert.True(run.ExitCode == 0, run.ToString());
        await Eventually.TrueAsync(() => CanListen(port));
    }

    [Fact]
    public async Task Remote_forwarding_the_roles_do_not_allow_is_refused_and_reported()
    {
        await using var node = new NodeServer();
        var port = FreePort();

        var run = await node.SshAsync("true", null, null, "-o", "ExitOnForwardFailure=yes", "-R", $"{port}:127.0.0.1:9");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("remote port forwarding failed", run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(node.Observer.PortForwards, p => p.Destination == $"localhost:{port}" && !p.Allowed);
    }

    private static async Task AnswerOnceAsync(TcpListener service, string answer)
    {
        using var connection = await service.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer));
        connection.Client.Shutdown(SocketShutdown.Send);
        await stream.CopyToAsync(Stream.Null);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
