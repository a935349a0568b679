using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Keys;

/// <summary>Hand-built openssh-key-v1 files whose private part contradicts the public key.</summary>
public sealed class OpenSshPrivateKeyTamperTests
{
    [Fact]
    public void Ecdsa_private_scalar_that_does_not_match_the_public_point_is_refused()
    {
        var key = (EcdsaPublicKey)TestKeys.Get(SshKeyType.EcdsaP256).PublicKey;
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongD = other.ExportParameters(includePrivateParameters: true).D!;
        var fields = new SshWriter().WriteString("nistp256").WriteString(key.Point).WriteMpintUnsigned(wrongD);

        var error = Assert.Throws<FormatException>(() => SshPrivateKey.Parse(Pem(key, fields)));

        Assert.Contains("does not match", error.Message);
    }

    [Fact]
    public void Rsa_primes_that_do_not_multiply_to_the_modulus_are_refused()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var q = other.ExportParameters(includePrivateParameters: true);
        using var parsed = SshPrivateKey.Parse(rsa.ExportPkcs8PrivateKeyPem());
        var fields = new SshWriter()
            .WriteMpintUnsigned(p.Modulus).WriteMpintUnsigned(p.Exponent).WriteMpintUnsigned(p.D)
            .WriteMpintUnsigned(p.InverseQ).WriteMpintUnsigned(p.P).WriteMpintUnsigned(q.Q);

        var error = Assert.Throws<FormatException>(() => SshPrivateKey.Parse(Pem(parsed.PublicKey, fields)));

        Assert.Contains("do not match", error.Message);
    }

    [Fact]
    public void Mismatched_check_integers_are_refused()
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        var pk = ((Ed25519PublicKey)key.PublicKey).Key;
        var fields = new SshWriter().WriteString(pk).WriteString(new byte[64]);

        var error = Assert.Throws<FormatException>(() => SshPrivateKey.Parse(Pem(key.PublicKey, fields, checkB: 2)));

        Assert.Contains("check integers", error.Message);
    }

    private static string Pem(SshPublicKey publicKey, SshWriter privateFields, uint checkB = 1)
    {
        var section = new SshWriter().WriteUInt32(1).WriteUInt32(checkB).WriteString(publicKey.Algorithm)
            .WriteRaw(privateFields.WrittenSpan).WriteString("comment");
        for (byte pad = 1; section.Length % 8 != 0; pad++)
        {
            section.WriteByte(pad);
        }

        var file = new SshWriter().WriteRaw(Encoding.ASCII.GetBytes("openssh-key-v1\0"))
            .WriteString("none").WriteString("none").WriteString([]).WriteUInt32(1)
            .WriteString(publicKey.Blob).WriteString(section);
        return $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Convert.ToBase64String(file.WrittenSpan)}\n-----END OPENSSH PRIVATE KEY-----\n";
    }
}
