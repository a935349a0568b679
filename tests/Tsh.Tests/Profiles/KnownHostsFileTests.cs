using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Tsh.Tests.Profiles;

public sealed class KnownHostsFileTests
{
    private static readonly SshPublicKey CaKey = SshPrivateKey.Generate(SshKeyType.Ed25519).PublicKey;
    private static readonly SshPublicKey OtherKey = SshPrivateKey.Generate(SshKeyType.Ed25519).PublicKey;

    [Fact]
    public void A_host_ca_is_a_cert_authority_line_for_the_clusters_nodes_and_proxy()
    {
        var line = Assert.Single(KnownHostsFile.Lines("example", "proxy.example.com", [CaKey]));

        Assert.Equal($"@cert-authority *.example,example,proxy.example.com {CaKey.ToAuthorizedKeysLine()} type=host", line);
    }

    [Fact]
    public void A_new_login_replaces_the_clusters_lines_and_keeps_the_others()
    {
        var first = KnownHostsFile.Merge($"github.com {OtherKey.ToAuthorizedKeysLine()}\n", "example", "proxy", [OtherKey]);

        var second = KnownHostsFile.Merge(first, "example", "proxy", [CaKey]);

        Assert.StartsWith("github.com ssh-ed25519 ", second);
        Assert.Equal([CaKey], KnownHostsFile.HostCaKeys(second, "example"));
        Assert.Empty(KnownHostsFile.HostCaKeys(second, "other"));
    }
}
