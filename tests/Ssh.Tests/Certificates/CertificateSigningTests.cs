using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Certificates;

/// <summary>Certificates signed here, checked by <c>ssh-keygen -L</c> (which also verifies the CA signature).</summary>
public sealed class CertificateSigningTests
{
    public static TheoryData<SshKeyType, SshKeyType, string> CaAndSubject => new()
    {
        { SshKeyType.Ed25519, SshKeyType.Ed25519, "ED25519 {0} (using ssh-ed25519)" },
        { SshKeyType.EcdsaP256, SshKeyType.Rsa, "ECDSA {0} (using ecdsa-sha2-nistp256)" },
        { SshKeyType.Rsa, SshKeyType.EcdsaP256, "RSA {0} (using rsa-sha2-512)" },
        { SshKeyType.EcdsaP384, SshKeyType.EcdsaP521, "ECDSA {0} (using ecdsa-sha2-nistp384)" },
        { SshKeyType.EcdsaP521, SshKeyType.EcdsaP384, "ECDSA {0} (using ecdsa-sha2-nistp521)" },
    };

    [Theory]
    [MemberData(nameof(CaAndSubject))]
    public void User_certificate_signed_here_is_printed_correctly_by_ssh_keygen(SshKeyType caType, SshKeyType subjectType, string signingCa)
    {
        using var dir = new TempDirectory();
        var ca = TestKeys.Get(caType);
        var subject = TestKeys.Get(subjectType).PublicKey;
        var certificate = new SshCertificateBuilder
        {
            PublicKey = subject,
            KeyId = "alice@example.com",
            Serial = 18446744073709551615,
            Principals = ["alice", "root"],
            ValidAfter = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
            ValidBefore = new DateTimeOffset(2030, 6, 7, 8, 9, 10, TimeSpan.Zero),
            CriticalOptions = new Dictionary<string, string>
            {
                ["source-address"] = "10.0.0.0/8,127.0.0.1/32",
                ["force-command"] = "/bin/true",
                ["x-custom@example.com"] = "bar",
            },
            Extensions = new Dictionary<string, string>
            {
                ["permit-pty"] = "",
                ["teleport-roles"] = """{"roles":["access"]}""",
                ["permit-X11-forwarding"] = "",
                ["permit-agent-forwarding"] = "",
                ["flag@example.com"] = "",
            },
        }.Sign(ca);
        var path = dir.Write("id-cert.pub", certificate.ToAuthorizedKeysLine("alice") + "\n");

        var listing = CertificateListing.Read(path);

        Assert.Equal($"{certificate.Algorithm} user certificate", listing["Type"]);
        Assert.EndsWith(subject.Fingerprint, listing["Public key"]);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, signingCa, ca.PublicKey.Fingerprint), listing["Signing CA"]);
        Assert.Equal("\"alice@example.com\"", listing["Key ID"]);
        Assert.Equal("18446744073709551615", listing["Serial"]);
        Assert.Equal("from 2024-01-02T03:04:05 to 2030-06-07T08:09:10", listing["Valid"]);
        Assert.Equal(["alice", "root"], listing.List("Principals"));
        Assert.Equal(
            [
                "force-command /bin/true",
                "source-address 10.0.0.0/8,127.0.0.1/32",
                "x-custom@example.com UNKNOWN OPTION: 00000003626172 (len 7)",
            ],
            listing.List("Critical Options"));
        // Printed in blob order, which must be byte order: 'X' sorts before 'a'.
        Assert.Equal(
            [
                "flag@example.com UNKNOWN FLAG OPTION",
                "permit-X11-forwarding",
                "permit-agent-forwarding",
                "permit-pty",
                "teleport-roles UNKNOWN OPTION: 000000147b22726f6c6573223a5b22616363657373225d7d (len 24)",
            ],
            listing.List("Extensions"));
    }

    [Fact]
    public void Host_certificate_valid_forever_is_printed_correctly_by_ssh_keygen()
    {
        using var dir = new TempDirectory();
        var certificate = new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(SshKeyType.Ed25519).PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "node-1",
            Principals = ["node-1.example.com", "localhost"],
        }.Sign(TestKeys.Get(SshKeyType.EcdsaP256));
        var path = dir.Write("host-cert.pub", certificate.ToAuthorizedKeysLine() + "\n");

        var listing = CertificateListing.Read(path);

        Assert.Equal("ssh-ed25519-cert-v01@openssh.com host certificate", listing["Type"]);
        Assert.Equal("\"node-1\"", listing["Key ID"]);
        Assert.Equal("0", listing["Serial"]);
        Assert.Equal("forever", listing["Valid"]);
        Assert.Equal(["node-1.example.com", "localhost"], listing.List("Principals"));
        Assert.Equal(["(none)"], listing.List("Critical Options"));
        Assert.Equal(["(none)"], listing.List("Extensions"));
    }

    [Theory]
    [InlineData(true, false, "after 2025-01-01T00:00:00")]
    [InlineData(false, true, "before 2026-01-01T00:00:00")]
    public void Open_ended_validity_is_printed_as_after_or_before(bool setAfter, bool setBefore, string expected)
    {
        using var dir = new TempDirectory();
        var builder = new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(SshKeyType.Ed25519).PublicKey,
            Principals = ["bob"],
            ValidAfter = setAfter ? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) : DateTimeOffset.UnixEpoch,
            ValidBefore = setBefore ? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) : DateTimeOffset.MaxValue,
        };
        var path = dir.Write("c-cert.pub", builder.Sign(TestKeys.Get(SshKeyType.Ed25519)).ToAuthorizedKeysLine() + "\n");

        Assert.Equal(expected, CertificateListing.Read(path)["Valid"]);
    }

    [Fact]
    public void Ssh_keygen_rejects_a_certificate_whose_signature_was_altered()
    {
        // Guards the oracle itself: -L must fail on a bad signature, or the tests above prove nothing.
        using var dir = new TempDirectory();
        var blob = new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(SshKeyType.Ed25519).PublicKey,
            Principals = ["bob"],
        }.Sign(TestKeys.Get(SshKeyType.Ed25519)).Blob;
        blob[^1] ^= 0x01;
        var path = dir.Write("bad-cert.pub", $"ssh-ed25519-cert-v01@openssh.com {Convert.ToBase64String(blob)}\n");

        var (exitCode, _, error) = SshKeygen.Run("-L", "-f", path);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("signature", error);
    }

    [Fact]
    public void Builder_refuses_times_before_the_epoch_or_an_inverted_window()
    {
        var ca = TestKeys.Get(SshKeyType.Ed25519);
        var key = ca.PublicKey;
        Assert.Throws<ArgumentOutOfRangeException>(() => new SshCertificateBuilder { PublicKey = key, ValidAfter = DateTimeOffset.UnixEpoch.AddDays(-1) }.Sign(ca));
        Assert.Throws<ArgumentException>(() => new SshCertificateBuilder
        {
            PublicKey = key,
            ValidAfter = DateTimeOffset.UnixEpoch.AddDays(2),
            ValidBefore = DateTimeOffset.UnixEpoch.AddDays(1),
        }.Sign(ca));
    }
}
