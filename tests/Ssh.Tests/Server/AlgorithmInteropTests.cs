using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>Every cipher, MAC, key exchange and host key algorithm the server offers, forced one at a time in OpenSSH.</summary>
public sealed class AlgorithmInteropTests
{
    [Theory]
    [InlineData("aes256-gcm@openssh.com", null)]
    [InlineData("aes128-gcm@openssh.com", null)]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes128-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes256-ctr", "hmac-sha2-512")]
    [InlineData("aes256-ctr", "hmac-sha2-512-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha2-256")]
    public async Task Each_cipher_carries_a_session(string cipher, string? mac)
    {
        await using var server = TestSshServer.Start();
        string[] options = mac is null ? ["-c", cipher] : ["-c", cipher, "-m", mac];
        var data = TestSessionHandler.Pattern(300_000);

        var run = await server.SshAsync("cat", data, options);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal(data, run.Output);
        Assert.Contains($"in {cipher}{(mac is null ? "" : "+" + mac)}, out {cipher}", server.Logs.Text);
    }

    [Theory]
    [InlineData("curve25519-sha256")]
    [InlineData("curve25519-sha256@libssh.org")]
    [InlineData("ecdh-sha2-nistp256")]
    [InlineData("ecdh-sha2-nistp384")]
    [InlineData("ecdh-sha2-nistp521")]
    public async Task Each_key_exchange_completes(string kex)
    {
        await using var server = TestSshServer.Start();

        var run = await server.SshAsync("exit 3", null, "-o", "KexAlgorithms=" + kex);

        Assert.True(run.ExitCode == 3, run.Error + "\n" + server.Logs.Text);
        Assert.Contains($"Key exchange 1: {kex},", server.Logs.Text);
    }

    [Theory]
    [InlineData(SshKeyType.Ed25519, "ssh-ed25519")]
    [InlineData(SshKeyType.EcdsaP256, "ecdsa-sha2-nistp256")]
    [InlineData(SshKeyType.EcdsaP384, "ecdsa-sha2-nistp384")]
    [InlineData(SshKeyType.Rsa, "rsa-sha2-256")]
    [InlineData(SshKeyType.Rsa, "rsa-sha2-512")]
    public async Task Each_host_key_algorithm_is_verified_by_the_client(SshKeyType type, string algorithm)
    {
        await using var server = TestSshServer.Start(o =>
        {
            o.HostKeys.Clear();
            o.HostKeys.Add(TestKeys.Get(type));
        });

        var run = await server.SshAsync("true", null, "-o", "HostKeyAlgorithms=" + algorithm);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Contains($"host key {algorithm},", server.Logs.Text);
    }

    [Theory]
    [InlineData(SshKeyType.Ed25519)]
    [InlineData(SshKeyType.EcdsaP256)]
    [InlineData(SshKeyType.EcdsaP521)]
    [InlineData(SshKeyType.Rsa)]
    public async Task Each_user_key_type_logs_in(SshKeyType type)
    {
        await using var server = TestSshServer.Start();
        var key = TestKeys.Get(type);
        server.AuthorizedKeys.Add(key.PublicKey);

        var arguments = server.ClientArguments(server.WriteClientKey(key), server.WriteKnownHosts(), "bob");
        var run = await OpenSshClient.RunAsync([.. arguments, "whoami"]);

        Assert.True(run.ExitCode == 0, run.Error + "\n" + server.Logs.Text);
        Assert.Equal("bob\n", run.Text);
        // RSA works only because server-sig-algs steered OpenSSH to rsa-sha2-512 rather than SHA-1 ssh-rsa.
        Assert.All(server.AuthenticationRequests, r => Assert.Equal(key.PublicKey, r.PublicKey));
        Assert.Contains(server.AuthenticationRequests, r => r.IsSignatureVerified);
    }
}
