using System.Net;
using System.Net.Sockets;
using System.Text;
using Teleport.Orleans.Agent.Tests.Support;

namespace Teleport.Orleans.Agent.Tests.Sessions;

/// <summary>Local port forwarding (ssh -W, direct-tcpip) as the roles allow it (remote forwarding: <see cref="RemoteForwardingTests"/>).</summary>
public sealed class ForwardingTests
{
    [Fact]
    public async Task Direct_tcpip_reaches_a_local_service_when_the_roles_allow_it()
    {
        await using var node = new NodeServer();
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var port = ((IPEndPoint)service.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var connection = await service.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            // Read the client's bytes to its EOF before answering: ssh -W exits once the far side closes, and an
            // early close could race its stdin.
            var received = new MemoryStream();
            await stream.CopyToAsync(received);
            await stream.WriteAsync("greeting-from-service\n"u8.ToArray());
            connection.Client.Shutdown(SocketShutdown.Send);
            return Encoding.ASCII.GetString(received.ToArray());
        });

        var run = await ProcessRun.RunAsync(
            "/usr/bin/ssh", [.. node.SshOptions("-W", $"127.0.0.1:{port}"), $"{NodeServer.LoginName}@127.0.0.1"], "sent-by-client\n"u8.ToArray());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("greeting-from-service\n", run.Text);
        Assert.Equal("sent-by-client\n", await serve.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(node.Observer.PortForwards, p => p.Destination == $"127.0.0.1:{port}" && p.Allowed);
    }

    [Fact]
    public async Task Direct_tcpip_is_refused_and_reported_when_the_roles_do_not_allow_it()
    {
        await using var node = new NodeServer(login => login with { PortForwardingAllowed = false });
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var port = ((IPEndPoint)service.LocalEndpoint).Port;

        var run = await ProcessRun.RunAsync("/usr/bin/ssh", [.. node.SshOptions("-W", $"127.0.0.1:{port}"), $"{NodeServer.LoginName}@127.0.0.1"]);

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("open failed", run.Error, StringComparison.Ordinal);
        Assert.False(service.Pending());
        Assert.Contains(node.Observer.PortForwards, p => p.Destination == $"127.0.0.1:{port}" && !p.Allowed);
    }
}
