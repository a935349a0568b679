using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Certificates;

/// <summary>Certificates made by <c>ssh-keygen -s</c>, parsed and verified here.</summary>
public sealed class CertificateParsingTests
{
    private const string RolesJson = """{"roles":["access"]}""";

    public static TheoryData<SshKeyType, SshKeyType, string> CaAndSubject => new()
    {
        { SshKeyType.Ed25519, SshKeyType.EcdsaP256, "ssh-ed25519" },
        { SshKeyType.EcdsaP256, SshKeyType.Ed25519, "ecdsa-sha2-nistp256" },
        { SshKeyType.Rsa, SshKeyType.Ed25519, "rsa-sha2-512" },
        { SshKeyType.EcdsaP521, SshKeyType.Rsa, "ecdsa-sha2-nistp521" },
    };

    [Theory]
    [MemberData(nameof(CaAndSubject))]
    public void User_certificate_made_by_ssh_keygen_parses_with_the_right_fields(SshKeyType caType, SshKeyType subjectType, string signatureAlgorithm)
    {
        using var dir = new TempDirectory();
        var ca = KeyTypeData.GenerateWithSshKeygen(dir, "ca", caType);
        var user = KeyTypeData.GenerateWithSshKeygen(dir, "user", subjectType);
        SshKeygen.RunOk(
            "-q", "-s", ca, "-I", "alice@example", "-n", "alice,root", "-z", "42",
            "-V", "20240101000000:20300101120000",
            "-O", "force-command=/bin/true", "-O", "source-address=127.0.0.1/32",
            "-O", "extension:teleport-roles=" + RolesJson,
            user + ".pub");
        var line = File.ReadAllText(user + "-cert.pub");

        var certificate = SshCertificate.Parse(line);

        var subject = SshPublicKey.Parse(File.ReadAllText(user + ".pub"));
        Assert.Equal(subject.Algorithm + "-cert-v01@openssh.com", certificate.Algorithm);
        Assert.Equal(subject, certificate.PublicKey);
        Assert.Equal(SshPublicKey.Parse(File.ReadAllText(ca + ".pub")), certificate.SignatureKey);
        Assert.Equal(signatureAlgorithm, certificate.SignatureAlgorithm);
        Assert.Equal(32, certificate.Nonce.Length);
        Assert.Equal(42UL, certificate.Serial);
        Assert.Equal(SshCertificateType.User, certificate.Type);
        Assert.Equal("alice@example", certificate.KeyId);
        Assert.Equal(["alice", "root"], certificate.Principals);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), certificate.ValidAfter);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero), certificate.ValidBefore);
        Assert.Equal(
            new Dictionary<string, string> { ["force-command"] = "/bin/true", ["source-address"] = "127.0.0.1/32" },
            certificate.CriticalOptions);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["permit-X11-forwarding"] = "",
                ["permit-agent-forwarding"] = "",
                ["permit-port-forwarding"] = "",
                ["permit-pty"] = "",
                ["permit-user-rc"] = "",
                ["teleport-roles"] = RolesJson,
            },
            certificate.Extensions);
        Assert.True(certificate.VerifySignature());
        Assert.Equal(line.Trim(), certificate.ToAuthorizedKeysLine(line.Trim().Split(' ')[2]));
    }

    [Fact]
    public void Host_certificate_made_by_ssh_keygen_valid_forever_parses()
    {
        using var dir = new TempDirectory();
        var ca = KeyTypeData.GenerateWithSshKeygen(dir, "ca", SshKeyType.Ed25519);
        var host = KeyTypeData.GenerateWithSshKeygen(dir, "host", SshKeyType.Ed25519);
        SshKeygen.RunOk("-q", "-s", ca, "-h", "-I", "host1", "-n", "localhost,127.0.0.1", host + ".pub");

        var certificate = SshCertificate.Parse(File.ReadAllText(host + "-cert.pub"));

        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.Equal(["localhost", "127.0.0.1"], certificate.Principals);
        Assert.Equal(0UL, certificate.ValidAfterSeconds);
        Assert.Equal(ulong.MaxValue, certificate.ValidBeforeSeconds);
        Assert.Equal(DateTimeOffset.UnixEpoch, certificate.ValidAfter);
        Assert.Equal(DateTimeOffset.MaxValue, certificate.ValidBefore);
        Assert.Empty(certificate.CriticalOptions);
        Assert.Empty(certificate.Extensions);
        Assert.True(certificate.VerifySignature());
    }

    [Fact]
    public void Flipped_byte_in_the_signature_or_the_signed_data_fails_verification()
    {
        var blob = SignedBySshKeygen().Blob;
        var badSignature = (byte[])blob.Clone();
        badSignature[^3] ^= 0x40;
        var badNonce = (byte[])blob.Clone();
        badNonce[4 + "ssh-ed25519-cert-v01@openssh.com".Length + 4] ^= 0x01;

        Assert.False(SshCertificate.FromBlob(badSignature).VerifySignature());
        Assert.False(SshCertificate.FromBlob(badNonce).VerifySignature());
        Assert.True(SshCertificate.FromBlob(blob).VerifySignature());
    }

    [Fact]
    public void Truncated_or_extended_blobs_throw_FormatException()
    {
        var blob = SignedBySshKeygen().Blob;

        for (var length = 0; length < blob.Length; length++)
        {
            Assert.Throws<FormatException>(() => SshCertificate.FromBlob(blob.AsSpan(0, length)));
        }

        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob([.. blob, 0]));
        Assert.Contains("trailing", error.Message);
    }

    [Fact]
    public void Plain_key_line_or_mismatched_type_is_refused_by_certificate_parse()
    {
        var certificate = SignedBySshKeygen();
        var base64 = Convert.ToBase64String(certificate.Blob);

        Assert.Throws<FormatException>(() => SshCertificate.Parse(certificate.PublicKey.ToAuthorizedKeysLine()));
        var error = Assert.Throws<FormatException>(() => SshCertificate.Parse("ecdsa-sha2-nistp256-cert-v01@openssh.com " + base64));
        Assert.Contains("does not match", error.Message);
    }

    private static SshCertificate SignedBySshKeygen()
    {
        using var dir = new TempDirectory();
        var ca = KeyTypeData.GenerateWithSshKeygen(dir, "ca", SshKeyType.Ed25519);
        var user = KeyTypeData.GenerateWithSshKeygen(dir, "user", SshKeyType.Ed25519);
        SshKeygen.RunOk("-q", "-s", ca, "-I", "id", "-n", "a,b", "-V", "-5m:+1h", "-O", "force-command=ls", user + ".pub");
        return SshCertificate.Parse(File.ReadAllText(user + "-cert.pub"));
    }
}
