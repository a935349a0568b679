using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Keys;

public sealed class SshPublicKeyTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("data to sign");

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Authorized_keys_line_round_trips_with_comment_and_tabs(SshKeyType type)
    {
        var key = TestKeys.Get(type).PublicKey;
        var line = key.ToAuthorizedKeysLine("alice laptop");
        Assert.Equal($"{key.Algorithm} {Convert.ToBase64String(key.Blob)} alice laptop", line);

        var parsed = SshPublicKey.Parse("  " + line.Replace(' ', '\t') + "\n");

        Assert.Equal(key, parsed);
        Assert.Equal(key.Fingerprint, parsed.Fingerprint);
        Assert.Equal(key, SshPublicKey.FromBlob(key.Blob));
    }

    [Theory]
    [InlineData("", "type base64")]
    [InlineData("ssh-ed25519", "type base64")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAAA=", "Unsupported")]
    [InlineData("ssh-ed25519 not*base64", "base64")]
    [InlineData("ssh-ed25519-cert-v01@openssh.com AAAA", "use SshCertificate.Parse")]
    public void Malformed_lines_are_refused_with_a_clear_message(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SshPublicKey.Parse(line));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Line_type_must_match_the_blob_type()
    {
        var blob = Convert.ToBase64String(TestKeys.Get(SshKeyType.Ed25519).PublicKey.Blob);
        var error = Assert.Throws<FormatException>(() => SshPublicKey.Parse("ecdsa-sha2-nistp256 " + blob));
        Assert.Contains("does not match", error.Message);
    }

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Blob_with_trailing_bytes_or_truncated_is_refused(SshKeyType type)
    {
        var blob = TestKeys.Get(type).PublicKey.Blob;
        Assert.Throws<FormatException>(() => SshPublicKey.FromBlob([.. blob, 0]));
        for (var length = 0; length < blob.Length; length++)
        {
            Assert.Throws<FormatException>(() => SshPublicKey.FromBlob(blob.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Ed25519_key_of_the_wrong_size_is_refused()
    {
        var blob = new SshWriter().WriteString("ssh-ed25519").WriteString(new byte[31]).ToArray();
        Assert.Throws<FormatException>(() => SshPublicKey.FromBlob(blob));
    }

    [Fact]
    public void Ecdsa_point_off_the_curve_or_wrong_curve_name_is_refused()
    {
        var point = new byte[65];
        point[0] = 4;
        point[64] = 1;
        var offCurve = new SshWriter().WriteString("ecdsa-sha2-nistp256").WriteString("nistp256").WriteString(point).ToArray();
        Assert.Throws<FormatException>(() => SshPublicKey.FromBlob(offCurve));

        var real = (EcdsaPublicKey)TestKeys.Get(SshKeyType.EcdsaP256).PublicKey;
        var wrongName = new SshWriter().WriteString("ecdsa-sha2-nistp256").WriteString("nistp384").WriteString(real.Point).ToArray();
        Assert.Throws<FormatException>(() => SshPublicKey.FromBlob(wrongName));
    }

    [Fact]
    public void Ed25519_signature_matches_the_RFC_8032_test_vector()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = Ed25519PrivateKey.FromSeed(seed);

        var signature = key.Sign([]);

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(((Ed25519PublicKey)key.PublicKey).Key));
        var expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        Assert.EndsWith(expected, Convert.ToHexStringLower(signature));
    }

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Signature_does_not_verify_for_other_data_another_key_or_a_flipped_bit(SshKeyType type)
    {
        var key = TestKeys.Get(type);
        var signature = key.Sign(Message);
        Assert.True(key.PublicKey.Verify(Message, signature));

        Assert.False(key.PublicKey.Verify(Encoding.UTF8.GetBytes("other data"), signature));
        Assert.False(TestKeys.GetOther(type).PublicKey.Verify(Message, signature));
        var flipped = (byte[])signature.Clone();
        flipped[^1] ^= 1;
        Assert.False(key.PublicKey.Verify(Message, flipped));
        Assert.False(key.PublicKey.Verify(Message, [.. signature, 0]));
        Assert.False(key.PublicKey.Verify(Message, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(key.PublicKey.Verify(Message, []));
    }

    [Fact]
    public void Rsa_signs_rsa_sha2_512_and_verifies_sha2_256_but_not_sha1_ssh_rsa()
    {
        using var rsa = RSA.Create(2048);
        using var key = SshPrivateKey.Parse(rsa.ExportPkcs8PrivateKeyPem());

        Assert.Equal("rsa-sha2-512", new SshReader(key.Sign(Message)).ReadUtf8String());
        Assert.True(key.PublicKey.Verify(Message, key.Sign(Message, "rsa-sha2-256")));
        var sha1 = rsa.SignData(Message, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        var sha1Blob = new SshWriter().WriteString("ssh-rsa").WriteString(sha1).ToArray();
        Assert.False(key.PublicKey.Verify(Message, sha1Blob));
        Assert.Throws<ArgumentException>(() => key.Sign(Message, "ssh-rsa"));
    }

    [Fact]
    public void Rsa_signature_with_leading_zeros_stripped_still_verifies()
    {
        // OpenSSH accepts short signatures; try until the signature starts with a zero byte (about 1 in 256).
        using var rsa = RSA.Create(1024);
        using var key = SshPrivateKey.Parse(rsa.ExportPkcs8PrivateKeyPem());
        for (var i = 0; i < 5000; i++)
        {
            var data = BitConverter.GetBytes(i);
            var reader = new SshReader(key.Sign(data));
            var algorithm = reader.ReadUtf8String();
            var signature = reader.ReadString();
            if (signature[0] == 0)
            {
                var shortened = new SshWriter().WriteString(algorithm).WriteString(signature[1..]).ToArray();
                Assert.True(key.PublicKey.Verify(data, shortened));
                return;
            }
        }

        Assert.Fail("No signature with a leading zero byte was produced.");
    }

    [Fact]
    public void Ecdsa_signature_uses_mpints_for_r_and_s()
    {
        var key = TestKeys.Get(SshKeyType.EcdsaP521);
        var reader = new SshReader(key.Sign(Message));
        Assert.Equal("ecdsa-sha2-nistp521", reader.ReadUtf8String());
        var inner = new SshReader(reader.ReadString());
        Assert.True(inner.ReadMpint() > 0);
        Assert.True(inner.ReadMpint() > 0);
        inner.EnsureEnd("signature");
    }

    [Fact]
    public void Key_signs_only_with_its_own_algorithm()
    {
        Assert.Throws<ArgumentException>(() => TestKeys.Get(SshKeyType.Ed25519).Sign(Message, "ecdsa-sha2-nistp256"));
        Assert.Throws<ArgumentException>(() => TestKeys.Get(SshKeyType.EcdsaP256).Sign(Message, "ecdsa-sha2-nistp384"));
    }

    [Fact]
    public void Disposed_key_refuses_to_sign()
    {
        var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign(Message));
    }

    [Fact]
    public void Ed25519_subject_public_key_info_is_RFC_8410()
    {
        var key = (Ed25519PublicKey)TestKeys.Get(SshKeyType.Ed25519).PublicKey;
        Assert.Equal("302a300506032b6570032100" + Convert.ToHexStringLower(key.Key), Convert.ToHexStringLower(key.ExportSubjectPublicKeyInfo()));
    }

    [Theory]
    [MemberData(nameof(KeyTypeData.All), MemberType = typeof(KeyTypeData))]
    public void Private_key_round_trips_through_openssh_and_pkcs8_pem(SshKeyType type)
    {
        var key = TestKeys.Get(type);
        using var fromOpenSsh = SshPrivateKey.Parse(key.ToOpenSshPem("c"));
        using var fromPkcs8 = SshPrivateKey.Parse(key.ToPkcs8Pem());

        Assert.Equal(key.PublicKey, fromOpenSsh.PublicKey);
        Assert.Equal(key.PublicKey, fromPkcs8.PublicKey);
        Assert.True(key.PublicKey.Verify(Message, fromOpenSsh.Sign(Message)));
        Assert.True(key.PublicKey.Verify(Message, fromPkcs8.Sign(Message)));
    }

    [Theory]
    [InlineData("no pem here", "No PEM")]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", "encrypted")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----", "encrypted")]
    [InlineData("-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----", "Unsupported PEM label")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----", "magic")]
    public void Unusable_private_keys_are_refused_with_a_clear_message(string pem, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SshPrivateKey.Parse(pem));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Openssh_private_key_with_mismatched_public_key_is_refused()
    {
        var pem = TestKeys.Get(SshKeyType.Ed25519).ToOpenSshPem();
        var other = Convert.ToBase64String(TestKeys.GetOther(SshKeyType.Ed25519).PublicKey.Blob);
        var mine = Convert.ToBase64String(TestKeys.Get(SshKeyType.Ed25519).PublicKey.Blob);
        var body = string.Concat(pem.Split('\n')[1..^2]);
        // The public blob sits at a fixed offset; swap it for another key's blob of the same size.
        var der = Convert.FromBase64String(body);
        var offset = der.AsSpan().IndexOf(Convert.FromBase64String(mine));
        Convert.FromBase64String(other).CopyTo(der, offset);
        var tampered = $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Convert.ToBase64String(der)}\n-----END OPENSSH PRIVATE KEY-----\n";

        var error = Assert.Throws<FormatException>(() => SshPrivateKey.Parse(tampered));

        Assert.Contains("does not match", error.Message);
    }
}
