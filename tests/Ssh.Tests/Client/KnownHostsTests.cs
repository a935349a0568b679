using System.Globalization;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>The known_hosts verifier against sshd's host keys and certificates, with ssh-keygen hashing names as the oracle.</summary>
public sealed class KnownHostsTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    private OpenSshServer Sshd => fixture.Server;

    private string HostAndPort => "[127.0.0.1]:" + Sshd.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_cert_authority_line_with_a_wildcard_trusts_the_host_certificate()
    {
        await using var client = await ConnectAsync($"@cert-authority * {Sshd.HostCa.PublicKey.ToAuthorizedKeysLine("host ca")}\n");

        Assert.NotNull(client.HostKey.Certificate);
    }

    [Fact]
    public async Task A_plain_key_line_for_host_and_port_trusts_the_plain_host_key()
    {
        await using var client = await ConnectAsync($"# a comment\n\n{HostAndPort} {Sshd.HostKeys[0].PublicKey.ToAuthorizedKeysLine()}\n", "ssh-ed25519");

        Assert.Null(client.HostKey.Certificate);
    }

    [Fact]
    public async Task A_name_hashed_by_ssh_keygen_matches()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("known_hosts", $"{HostAndPort} {Sshd.HostKeys[0].PublicKey.ToAuthorizedKeysLine()}\n");
        SshKeygen.RunOk("-H", "-f", path);
        var hashed = File.ReadAllText(path);

        await using var client = await ConnectAsync(hashed, "ssh-ed25519");

        Assert.StartsWith("|1|", hashed);
        Assert.DoesNotContain("127.0.0.1", hashed);
    }

    [Fact]
    public async Task A_key_for_another_host_is_not_trusted()
    {
        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(
            () => ConnectAsync($"[127.0.0.1]:1 {Sshd.HostKeys[0].PublicKey.ToAuthorizedKeysLine()}\n", "ssh-ed25519"));

        Assert.Contains($"No known_hosts entry for '{HostAndPort}'", error.Message);
    }

    [Fact]
    public async Task A_negated_pattern_excludes_the_host_from_a_cert_authority()
    {
        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(
            () => ConnectAsync($"@cert-authority *,!{HostAndPort} {Sshd.HostCa.PublicKey.ToAuthorizedKeysLine()}\n"));

        Assert.Contains("No known_hosts entry", error.Message);
    }

    [Fact]
    public async Task A_revoked_ca_is_refused_even_when_also_trusted()
    {
        var ca = Sshd.HostCa.PublicKey.ToAuthorizedKeysLine();

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => ConnectAsync($"@cert-authority * {ca}\n@revoked * {ca}\n"));

        Assert.Contains("@revoked", error.Message);
    }

    [Fact]
    public void A_malformed_line_names_its_line_number()
    {
        var error = Assert.Throws<FormatException>(() => SshHostKeyVerifiers.KnownHosts("# fine\nhost ssh-ed25519\n"));

        Assert.StartsWith("known_hosts line 2:", error.Message);
    }

    private Task<SshClient> ConnectAsync(string knownHosts, string? hostKeyAlgorithm = null)
    {
        Sshd.Authorize(UserKey.PublicKey);
        var options = ClientOptions.For(OpenSshServer.UserName, UserKey, SshHostKeyVerifiers.KnownHosts(knownHosts, Sshd.Port));
        if (hostKeyAlgorithm is not null)
        {
            options.HostKeyAlgorithms.Clear();
            options.HostKeyAlgorithms.Add(hostKeyAlgorithm);
        }

        return SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
    }
}
