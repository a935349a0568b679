using System.Text;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Keys;

/// <summary>Keys checked against the real ssh-keygen and openssl.</summary>
public sealed class KeyInteropTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("the quick brown fox");

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Private_key_written_here_is_accepted_by_ssh_keygen(SshKeyType type)
    {
        using var dir = new TempDirectory();
        var key = TestKeys.Get(type);
        var pem = key.ToOpenSshPem("me@example");
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", pem);
        Assert.All(pem.Split('\n')[1..^2], line => Assert.True(line.Length <= 70));
        var path = dir.Write("id", pem);

        var derived = SshKeygen.RunOk("-y", "-f", path).Trim();

        Assert.Equal(key.PublicKey.ToAuthorizedKeysLine("me@example"), derived);
    }

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Key_generated_by_ssh_keygen_parses_and_signatures_round_trip(SshKeyType type)
    {
        using var dir = new TempDirectory();
        var path = KeyTypeData.GenerateWithSshKeygen(dir, "id", type);

        using var key = SshPrivateKey.Parse(File.ReadAllText(path));
        var publicKey = SshPublicKey.Parse(File.ReadAllText(path + ".pub"));

        Assert.Equal(publicKey, key.PublicKey);
        var signature = key.Sign(Message);
        Assert.True(publicKey.Verify(Message, signature));
        Assert.False(publicKey.Verify(Encoding.UTF8.GetBytes("another message"), signature));
        using var reparsed = SshPrivateKey.Parse(key.ToOpenSshPem());
        Assert.Equal(publicKey, reparsed.PublicKey);
    }

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Fingerprint_equals_ssh_keygen_l(SshKeyType type)
    {
        using var dir = new TempDirectory();
        var theirs = KeyTypeData.GenerateWithSshKeygen(dir, "theirs", type) + ".pub";
        var ours = dir.Write("ours.pub", TestKeys.Get(type).PublicKey.ToAuthorizedKeysLine("ours") + "\n");

        foreach (var path in new[] { theirs, ours })
        {
            var printed = SshKeygen.RunOk("-l", "-E", "sha256", "-f", path).Split(' ')[1];
            Assert.Equal(printed, SshPublicKey.Parse(File.ReadAllText(path)).Fingerprint);
        }
    }

    [Theory]
    [InlineData(SshKeyType.EcdsaP256, "PEM", "EC PRIVATE KEY")]
    [InlineData(SshKeyType.EcdsaP384, "PKCS8", "PRIVATE KEY")]
    [InlineData(SshKeyType.Rsa, "PEM", "RSA PRIVATE KEY")]
    [InlineData(SshKeyType.Rsa, "PKCS8", "PRIVATE KEY")]
    public void Key_exported_by_ssh_keygen_as_pem_or_pkcs8_parses(SshKeyType type, string format, string label)
    {
        using var dir = new TempDirectory();
        var path = KeyTypeData.GenerateWithSshKeygen(dir, "id", type);
        SshKeygen.RunOk("-p", "-q", "-N", "", "-P", "", "-m", format, "-f", path);
        var pem = File.ReadAllText(path);
        Assert.StartsWith($"-----BEGIN {label}-----", pem);

        using var key = SshPrivateKey.Parse(pem);

        Assert.Equal(SshPublicKey.Parse(File.ReadAllText(path + ".pub")), key.PublicKey);
    }

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Pkcs8_written_here_is_read_by_openssl_with_the_same_public_key(SshKeyType type)
    {
        using var dir = new TempDirectory();
        var key = TestKeys.Get(type);
        var pem = key.ToPkcs8Pem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        var path = dir.Write("key.pem", pem);

        var (exitCode, _, error) = ProcessRun.Run("openssl", ["pkey", "-in", path, "-pubout", "-outform", "DER", "-out", dir.File("spki.der")]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(File.ReadAllBytes(dir.File("spki.der")), key.ExportSubjectPublicKeyInfo());
        using var reparsed = SshPrivateKey.Parse(pem);
        Assert.Equal(key.PublicKey, reparsed.PublicKey);
    }

    [Fact]
    public void Ed25519_pkcs8_key_from_openssl_parses_with_the_same_public_key()
    {
        using var dir = new TempDirectory();
        var path = dir.File("ed.pem");
        Assert.Equal(0, ProcessRun.Run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", path]).ExitCode);
        Assert.Equal(0, ProcessRun.Run("openssl", ["pkey", "-in", path, "-pubout", "-outform", "DER", "-out", dir.File("spki.der")]).ExitCode);

        using var key = SshPrivateKey.Parse(File.ReadAllText(path));

        Assert.Equal(SshAlgorithmNames.Ed25519, key.PublicKey.Algorithm);
        Assert.Equal(File.ReadAllBytes(dir.File("spki.der")), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Encrypted_openssh_key_is_refused_with_a_clear_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("id");
        SshKeygen.GenerateKey(path, "ed25519", passphrase: "correct horse");

        var error = Assert.Throws<FormatException>(() => SshPrivateKey.Parse(File.ReadAllText(path)));

        Assert.Contains("encrypted", error.Message);
    }
}
