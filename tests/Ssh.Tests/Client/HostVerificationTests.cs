using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>The host key verifiers against our own server presenting host certificates of every kind.</summary>
public sealed class HostVerificationTests
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);
    private static readonly SshPrivateKey HostCa = TestKeys.Get(SshKeyType.EcdsaP384);

    [Fact]
    public async Task A_valid_host_certificate_for_the_dialled_name_is_trusted()
    {
        await using var server = StartServer(Certificate(DateTimeOffset.UtcNow.AddHours(1), "127.0.0.1"));

        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, Options(SshHostKeyVerifiers.CertificateAuthority([HostCa.PublicKey])));

        Assert.Equal("host-under-test", client.HostKey.Certificate!.KeyId);
        Assert.Equal("127.0.0.1", client.HostKey.HostName);
    }

    [Fact]
    public async Task An_expired_host_certificate_is_refused()
    {
        await using var server = StartServer(Certificate(DateTimeOffset.UtcNow.AddMinutes(-5), "127.0.0.1"));

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(
            () => SshClient.ConnectAsync("127.0.0.1", server.Port, Options(SshHostKeyVerifiers.CertificateAuthority([HostCa.PublicKey]))));

        Assert.Contains("expired", error.Message);
        Assert.Empty(server.AuthenticationRequests);
    }

    [Fact]
    public async Task A_host_name_matches_certificate_principals_case_insensitively()
    {
        await using var server = StartServer(Certificate(DateTimeOffset.UtcNow.AddHours(1), "Node-1.Example.COM"));
        var options = Options(SshHostKeyVerifiers.CertificateAuthority([HostCa.PublicKey]));
        options.HostName = "node-1.example.com";

        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, options);

        Assert.Equal("node-1.example.com", client.HostKey.HostName);
    }

    [Fact]
    public async Task Any_trusts_a_pinned_key_when_the_ca_does_not_vouch_for_it()
    {
        await using var server = StartServer(Certificate(DateTimeOffset.UtcNow.AddHours(1), "somewhere-else"));
        var verifier = SshHostKeyVerifiers.Any(
            SshHostKeyVerifiers.CertificateAuthority([HostCa.PublicKey]),
            SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey));

        await using var client = await SshClient.ConnectAsync("127.0.0.1", server.Port, Options(verifier));

        Assert.NotNull(client.HostKey.Certificate);
    }

    [Fact]
    public async Task A_refusal_by_every_verifier_names_each_reason()
    {
        await using var server = StartServer(Certificate(DateTimeOffset.UtcNow.AddHours(1), "somewhere-else"));
        var verifier = SshHostKeyVerifiers.Any(
            SshHostKeyVerifiers.CertificateAuthority([HostCa.PublicKey]),
            SshHostKeyVerifiers.Pinned(TestKeys.GetOther(SshKeyType.Ed25519).PublicKey));

        var error = await Assert.ThrowsAsync<SshHostKeyRejectedException>(() => SshClient.ConnectAsync("127.0.0.1", server.Port, Options(verifier)));

        Assert.Contains("Principal '127.0.0.1' is not listed", error.Message);
        Assert.Contains("is not the expected key", error.Message);
    }

    private static SshCertificate Certificate(DateTimeOffset validBefore, string principal) =>
        new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(SshKeyType.Ed25519).PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "host-under-test",
            Principals = [principal],
            ValidAfter = DateTimeOffset.UtcNow.AddHours(-1),
            ValidBefore = validBefore,
        }.Sign(HostCa);

    private static TestSshServer StartServer(SshCertificate hostCertificate)
    {
        var server = TestSshServer.Start(o => o.HostCertificates.Add(hostCertificate));
        server.AuthorizedKeys.Add(UserKey.PublicKey);
        return server;
    }

    private static SshClientOptions Options(SshHostKeyVerifier verifier) => ClientOptions.For("alice", UserKey, verifier);
}
