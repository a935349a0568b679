using System.Text;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>The SSH proxy on listen_addr: who it lets in and what it refuses before dialing anything.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SshProxyTests(GatewayFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("gateway-keys-");

    [Fact]
    public async Task User_certificate_from_the_cluster_logs_in_whatever_the_login_name_and_the_proxy_host_certificate_is_trusted()
    {
        await fixture.Invite("ssh-erin");
        var key = await ProxyClient.SignUser(fixture.Server, "ssh-erin", _keys.FullName);

        await using var client = await ProxyClient.Connect(fixture.Server, key, fixture.Server.Proxy!.SshPort);

        Assert.True(client.HostKey.Certificate is not null, "the proxy presents a host certificate");
    }

    [Fact]
    public async Task Proxy_subsystem_to_an_unregistered_node_says_so_on_stderr_and_fails()
    {
        await fixture.Invite("ssh-frank");
        var key = await ProxyClient.SignUser(fixture.Server, "ssh-frank", _keys.FullName);
        await using var client = await ProxyClient.Connect(fixture.Server, key, fixture.Server.Proxy!.SshPort);

        await using var session = await client.OpenSessionAsync();
        await session.StartSubsystemAsync("proxy:no-such-node:3022");
        var stderr = await new StreamReader(session.StandardError, Encoding.UTF8).ReadToEndAsync();
        var exit = await session.WaitForExitAsync();

        Assert.Contains("\"no-such-node\" is not registered", stderr, StringComparison.Ordinal);
        Assert.Equal(1, exit.ExitCode);
    }

    [Fact]
    public async Task Direct_tcpip_to_an_unregistered_host_is_refused_rather_than_dialed()
    {
        await fixture.Invite("ssh-grace");
        var key = await ProxyClient.SignUser(fixture.Server, "ssh-grace", _keys.FullName);
        await using var client = await ProxyClient.Connect(fixture.Server, key, fixture.Server.Proxy!.SshPort);

        // The auth API's own port: reachable, but not a node, so the proxy must not connect to it.
        await Assert.ThrowsAsync<SshChannelOpenException>(() => client.OpenDirectTcpIpAsync("127.0.0.1", fixture.Server.AuthPort));
    }

    [Fact]
    public async Task Shell_and_exec_on_the_proxy_itself_are_refused()
    {
        await fixture.Invite("ssh-heidi");
        var key = await ProxyClient.SignUser(fixture.Server, "ssh-heidi", _keys.FullName);
        await using var client = await ProxyClient.Connect(fixture.Server, key, fixture.Server.Proxy!.SshPort);

        await using var session = await client.OpenSessionAsync();

        await Assert.ThrowsAsync<SshRequestFailedException>(() => session.ExecAsync("id"));
    }

    public void Dispose() => _keys.Delete(recursive: true);
}
