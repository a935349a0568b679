using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>User and host certificates between OpenSSH and our server.</summary>
public sealed class CertificateLoginTests
{
    [Theory]
    [InlineData(SshKeyType.Ed25519, SshKeyType.Ed25519)]
    [InlineData(SshKeyType.EcdsaP256, SshKeyType.Ed25519)]
    [InlineData(SshKeyType.Rsa, SshKeyType.EcdsaP256)]
    public async Task User_certificate_from_the_trusted_ca_is_accepted(SshKeyType userType, SshKeyType caType)
    {
        await using var server = TestSshServer.Start();
        var ca = TestKeys.Get(caType);
        server.UserCas.Add(ca.PublicKey);
        var (identity, certificate) = WriteUserCertificate(server, TestKeys.Get(userType), ca, "alice");

        var run = await RunAsync(server, identity, "alice", "whoami");

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal("alice\n", run.Text);
        var verified = Assert.Single(server.AuthenticationRequests, r => r.IsSignatureVerified);
        Assert.Equal(certificate.Blob, verified.Certificate!.Blob);
        // OpenSSH asks first without a signature and gets PK_OK.
        Assert.Contains(server.AuthenticationRequests, r => !r.IsSignatureVerified && r.Certificate is not null);
    }

    [Fact]
    public async Task User_certificate_from_another_ca_is_refused_with_permission_denied()
    {
        await using var server = TestSshServer.Start();
        server.UserCas.Add(TestKeys.Get(SshKeyType.Ed25519).PublicKey);
        var (identity, _) = WriteUserCertificate(server, TestKeys.Get(SshKeyType.EcdsaP256), TestKeys.GetOther(SshKeyType.Ed25519), "alice");

        var run = await RunAsync(server, identity, "alice", "true");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("Permission denied", run.Error);
        Assert.Contains("untrusted CA", server.Logs.Text);
    }

    [Fact]
    public async Task User_certificate_for_another_principal_is_refused()
    {
        await using var server = TestSshServer.Start();
        var ca = TestKeys.Get(SshKeyType.Ed25519);
        server.UserCas.Add(ca.PublicKey);
        var (identity, _) = WriteUserCertificate(server, TestKeys.Get(SshKeyType.EcdsaP256), ca, "bob");

        var run = await RunAsync(server, identity, "alice", "true");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("Permission denied", run.Error);
    }

    [Fact]
    public async Task Unknown_plain_key_is_refused_with_permission_denied()
    {
        await using var server = TestSshServer.Start();
        var identity = server.WriteClientKey(TestKeys.GetOther(SshKeyType.Ed25519));

        var run = await OpenSshClient.RunAsync([.. server.ClientArguments(identity, server.WriteKnownHosts(), "alice"), "true"]);

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("Permission denied (publickey)", run.Error);
    }

    [Theory]
    [InlineData(SshKeyType.Ed25519, "ssh-ed25519-cert-v01@openssh.com")]
    [InlineData(SshKeyType.EcdsaP256, "ecdsa-sha2-nistp256-cert-v01@openssh.com")]
    [InlineData(SshKeyType.Rsa, "rsa-sha2-512-cert-v01@openssh.com")]
    [InlineData(SshKeyType.Rsa, "rsa-sha2-256-cert-v01@openssh.com")]
    public async Task Host_certificate_is_verified_through_cert_authority_in_known_hosts(SshKeyType hostType, string algorithm)
    {
        var hostCa = TestKeys.GetOther(SshKeyType.EcdsaP256);
        var hostKey = TestKeys.Get(hostType);
        var hostCertificate = new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "test-host",
            Principals = ["127.0.0.1", "localhost"],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(hostCa);
        await using var server = TestSshServer.Start(o =>
        {
            o.HostKeys.Clear();
            o.HostKeys.Add(hostKey);
            o.HostCertificates.Add(hostCertificate);
        });
        var userKey = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(userKey.PublicKey);
        // Only the CA is known: the plain host key alone would fail strict host key checking.
        var knownHosts = server.Directory.Write("known_hosts_ca", "@cert-authority * " + hostCa.PublicKey.ToAuthorizedKeysLine() + "\n");

        var run = await OpenSshClient.RunAsync(
            [.. server.ClientArguments(server.WriteClientKey(userKey), knownHosts, "alice", "-o", "HostKeyAlgorithms=" + algorithm), "exit 7"]);

        Assert.True(run.ExitCode == 7, run.Error + "\n" + server.Logs.Text);
        Assert.Contains($"host key {algorithm},", server.Logs.Text);
    }

    [Fact]
    public async Task Host_certificate_from_an_unknown_ca_fails_strict_host_key_checking()
    {
        var hostKey = TestKeys.Get(SshKeyType.Ed25519);
        var hostCertificate = new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey,
            Type = SshCertificateType.Host,
            Principals = ["127.0.0.1"],
        }.Sign(TestKeys.GetOther(SshKeyType.Ed25519));
        await using var server = TestSshServer.Start(o => o.HostCertificates.Add(hostCertificate));
        var userKey = TestKeys.Get(SshKeyType.Ed25519);
        server.AuthorizedKeys.Add(userKey.PublicKey);
        var knownHosts = server.Directory.Write("known_hosts_ca", "@cert-authority * " + TestKeys.Get(SshKeyType.EcdsaP256).PublicKey.ToAuthorizedKeysLine() + "\n");

        var run = await OpenSshClient.RunAsync(
            [.. server.ClientArguments(server.WriteClientKey(userKey), knownHosts, "alice", "-o", "HostKeyAlgorithms=ssh-ed25519-cert-v01@openssh.com"), "true"]);

        Assert.Equal(255, run.ExitCode);
    }

    private static (string Identity, SshCertificate Certificate) WriteUserCertificate(TestSshServer server, SshPrivateKey userKey, SshPrivateKey ca, string principal)
    {
        var certificate = new SshCertificateBuilder
        {
            PublicKey = userKey.PublicKey,
            KeyId = "test-user",
            Principals = [principal],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
            Extensions = new Dictionary<string, string> { ["permit-pty"] = "" },
        }.Sign(ca);
        var identity = server.WriteClientKey(userKey, "user");
        server.Directory.Write("user-cert.pub", certificate.ToAuthorizedKeysLine("cert") + "\n");
        return (identity, certificate);
    }

    private static Task<ProcessRun> RunAsync(TestSshServer server, string identity, string user, string command) =>
        OpenSshClient.RunAsync([.. server.ClientArguments(identity, server.WriteKnownHosts(), user, "-o", "CertificateFile=" + identity + "-cert.pub"), command]);
}
