using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Our client against the real OpenSSH sshd: host verification by host CA or pinned key, user authentication.</summary>
public sealed class OpenSshServerTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    private OpenSshServer Sshd => fixture.Server;

    [Fact]
    public async Task A_host_certificate_from_the_trusted_host_ca_is_verified()
    {
        Sshd.Authorize(UserKey.PublicKey);
        var options = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);

        Assert.Equal("ssh-ed25519-cert-v01@openssh.com", client.Algorithms.HostKey);
        Assert.Equal(Sshd.HostKeys[0].PublicKey, client.HostKey.Certificate!.PublicKey);
        Assert.StartsWith("SSH-2.0-OpenSSH_", client.ServerVersion);
        Assert.Equal("hello\n", (await client.RunCommandAsync("echo hello")).OutputText);
    }

    [Fact]
    public async Task A_host_certificate_from_an_untrusted_ca_is_refused_before_authentication()
    {
        Sshd.Authorize(UserKey.PublicKey);
        var options = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([TestKeys.GetOther(SshKeyType.Ed25519).PublicKey]));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Sshd.Port);
        var localPort = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync(tcp.GetStream(), options));

        Assert.Contains("untrusted CA", error.Message);
        await Sshd.WaitForLogAsync($"port {localPort} [preauth]");
        Assert.DoesNotContain($"for {OpenSshServer.UserName} from 127.0.0.1 port {localPort}", Sshd.Log);
    }

    [Fact]
    public async Task A_host_certificate_for_another_name_is_refused()
    {
        var options = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));
        options.HostName = "other.example";

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options));

        Assert.Contains("Principal 'other.example' is not listed", error.Message);
    }

    [Fact]
    public async Task A_plain_host_key_is_refused_by_a_ca_only_verifier_and_accepted_when_pinned()
    {
        Sshd.Authorize(UserKey.PublicKey);
        var caOnly = Options(UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));
        caOnly.HostKeyAlgorithms.Clear();
        caOnly.HostKeyAlgorithms.Add("ssh-ed25519");
        var pinned = Options(UserKey, SshHostKeyVerifiers.Pinned(Sshd.HostKeys[0].PublicKey));
        pinned.HostKeyAlgorithms.Clear();
        pinned.HostKeyAlgorithms.Add("ssh-ed25519");

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync("127.0.0.1", Sshd.Port, caOnly));
        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, pinned);

        Assert.Contains("plain host key", error.Message);
        Assert.Null(client.HostKey.Certificate);
    }

    [Fact]
    public async Task A_user_certificate_is_accepted_through_TrustedUserCAKeys()
    {
        var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var certificate = Sshd.IssueUserCertificate(key.PublicKey);
        var options = Options(key, HostVerifier(), certificate);

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
        var result = await client.RunCommandAsync("exit 0");

        Assert.Equal(0, result.ExitCode);
        await Sshd.WaitForLogAsync($"ED25519-CERT SHA256:{key.PublicKey.Fingerprint[7..]} ID client-test");
    }

    [Theory]
    [InlineData(SshKeyType.Ed25519)]
    [InlineData(SshKeyType.EcdsaP256)]
    [InlineData(SshKeyType.Rsa)]
    public async Task A_plain_key_is_accepted_through_the_AuthorizedKeysFile(SshKeyType type)
    {
        var key = TestKeys.Get(type);
        Sshd.Authorize(key.PublicKey);
        var logs = new ListLogger();
        var options = Options(key, HostVerifier());
        options.LoggerFactory = logs;

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);

        Assert.Equal(0, (await client.RunCommandAsync("true")).ExitCode);
        Assert.Contains($"with publickey {(type == SshKeyType.Rsa ? "rsa-sha2-512" : key.PublicKey.Algorithm)} ", logs.Text);
        await Sshd.WaitForLogAsync($"Accepted publickey for {OpenSshServer.UserName} from 127.0.0.1");
        await Sshd.WaitForLogAsync(key.PublicKey.Fingerprint);
    }

    [Fact]
    public async Task An_unauthorized_key_is_refused_with_the_methods_the_server_allows()
    {
        var options = Options(SshPrivateKey.Generate(SshKeyType.Ed25519), HostVerifier());

        var error = await Assert.ThrowsAsync<SshAuthenticationException>(() => SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options));

        Assert.Contains("publickey", error.AllowedMethods);
        Assert.Contains($"for '{OpenSshServer.UserName}'", error.Message);
    }

    private SshHostKeyVerifier HostVerifier() => SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]);

    private static SshClientOptions Options(SshPrivateKey key, SshHostKeyVerifier verifier, SshCertificate? certificate = null) =>
        ClientOptions.For(OpenSshServer.UserName, key, verifier, certificate);

    private Task<SshClient> ConnectAsync()
    {
        Sshd.Authorize(UserKey.PublicKey);
        return SshClient.ConnectAsync("127.0.0.1", Sshd.Port, Options(UserKey, HostVerifier()));
    }
}
