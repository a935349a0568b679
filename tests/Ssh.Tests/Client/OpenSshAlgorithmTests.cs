using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>Every cipher, MAC, key exchange and host key algorithm of the client, forced one at a time against sshd.</summary>
public sealed class OpenSshAlgorithmTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    private OpenSshServer Sshd => fixture.Server;

    [Theory]
    [InlineData("aes256-gcm@openssh.com", null)]
    [InlineData("aes128-gcm@openssh.com", null)]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes128-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes256-ctr", "hmac-sha2-512-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha2-256")]
    [InlineData("aes256-ctr", "hmac-sha2-512")]
    public async Task Each_cipher_carries_a_session(string cipher, string? mac)
    {
        var options = Options();
        options.Ciphers.Clear();
        options.Ciphers.Add(cipher);
        if (mac is not null)
        {
            options.MacAlgorithms.Clear();
            options.MacAlgorithms.Add(mac);
        }

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
        var data = TestSessionHandler.Pattern(300_000);
        var result = await client.RunCommandAsync("cat", data);

        Assert.Equal(new SshNegotiatedAlgorithms(client.Algorithms.KeyExchange, client.Algorithms.HostKey, cipher, mac, cipher, mac), client.Algorithms);
        Assert.True(data.AsSpan().SequenceEqual(result.Output), "The data changed in transit.");
    }

    [Theory]
    [InlineData("curve25519-sha256")]
    [InlineData("curve25519-sha256@libssh.org")]
    [InlineData("ecdh-sha2-nistp256")]
    [InlineData("ecdh-sha2-nistp384")]
    [InlineData("ecdh-sha2-nistp521")]
    public async Task Each_key_exchange_completes_with_strict_kex(string kex)
    {
        var logs = new ListLogger();
        var options = Options(logs);
        options.KeyExchangeAlgorithms.Clear();
        options.KeyExchangeAlgorithms.Add(kex);

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
        var result = await client.RunCommandAsync("exit 3");

        Assert.Equal(kex, client.Algorithms.KeyExchange);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"Key exchange 1: {kex}, host key ssh-ed25519-cert-v01@openssh.com", logs.Text);
        Assert.Contains(", strict True", logs.Text);
    }

    [Theory]
    [InlineData("ssh-ed25519-cert-v01@openssh.com", 0)]
    [InlineData("ecdsa-sha2-nistp256-cert-v01@openssh.com", 1)]
    [InlineData("rsa-sha2-512-cert-v01@openssh.com", 2)]
    [InlineData("rsa-sha2-256-cert-v01@openssh.com", 2)]
    [InlineData("ssh-ed25519", 0)]
    [InlineData("ecdsa-sha2-nistp256", 1)]
    [InlineData("rsa-sha2-512", 2)]
    [InlineData("rsa-sha2-256", 2)]
    public async Task Each_host_key_algorithm_is_verified(string algorithm, int hostKey)
    {
        var options = Options();
        options.HostKeyVerifier = SshHostKeyVerifiers.Any(
            SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]),
            SshHostKeyVerifiers.Pinned(Sshd.HostKeys.Select(k => k.PublicKey)));
        options.HostKeyAlgorithms.Clear();
        options.HostKeyAlgorithms.Add(algorithm);

        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);

        Assert.Equal(algorithm, client.Algorithms.HostKey);
        Assert.Equal(Sshd.HostKeys[hostKey].PublicKey, client.HostKey.PublicKey);
        Assert.Equal(algorithm.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal), client.HostKey.Certificate is not null);
    }

    [Fact]
    public async Task A_rekey_mid_transfer_against_sshd_keeps_the_data_intact()
    {
        var options = Options();
        options.RekeyBytes = 512 * 1024;
        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
        var data = TestSessionHandler.Pattern(4_000_000);

        var result = await client.RunCommandAsync("cat", data);

        Assert.True(data.AsSpan().SequenceEqual(result.Output), "The data changed in transit.");
        Assert.True(client.KeyExchangeCount > 3, $"Only {client.KeyExchangeCount} key exchanges.");
    }

    [Fact]
    public async Task Rekeys_started_by_sshd_mid_transfer_keep_the_data_intact()
    {
        await using var client = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, Options());
        var data = TestSessionHandler.Pattern(4_000_000);

        var result = await client.RunCommandAsync("cat", data);

        Assert.True(data.AsSpan().SequenceEqual(result.Output), "The data changed in transit.");
        Assert.True(client.KeyExchangeCount > 3, $"Only {client.KeyExchangeCount} key exchanges (sshd has RekeyLimit 1M).");
    }

    private SshClientOptions Options(ListLogger? logs = null)
    {
        Sshd.Authorize(UserKey.PublicKey);
        return ClientOptions.For(OpenSshServer.UserName, UserKey, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]), logs: logs);
    }
}
