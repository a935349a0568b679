using Teleport.Orleans.Gateway.SshProxy;

namespace Teleport.Orleans.Gateway.Tests.SshProxy;

public sealed class ProxySubsystemTests
{
    [Theory]
    [InlineData("proxy:web-1:3022", "web-1", 3022, "")]
    [InlineData("proxy:web-1:3022@prod.example.com", "web-1", 3022, "prod.example.com")]
    [InlineData("proxy:web-1:22@default@prod.example.com", "web-1", 22, "prod.example.com")]
    [InlineData("proxy:[::1]:3022", "::1", 3022, "")]
    [InlineData("proxy:web-1", "web-1", 0, "")]
    public void Teleport_subsystem_forms_name_host_port_and_cluster(string name, string host, int port, string cluster)
    {
        var parsed = ProxySubsystem.TryParse(name);

        Assert.Equal(new ProxySubsystem(host, port, cluster), parsed);
    }

    [Theory]
    [InlineData("sftp")]
    [InlineData("proxy:")]
    [InlineData("proxy:web-1:notaport")]
    [InlineData("proxy:web-1:70000")]
    [InlineData("proxy::22")]
    public void Other_subsystems_and_malformed_targets_are_not_proxy_requests(string name)
    {
        Assert.Null(ProxySubsystem.TryParse(name));
    }
}
