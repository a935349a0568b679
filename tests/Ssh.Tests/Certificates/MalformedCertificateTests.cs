using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Certificates;

/// <summary>Hand-built blobs that break one PROTOCOL.certkeys rule each, correctly signed so only the rule is at fault.</summary>
public sealed class MalformedCertificateTests
{
    private static readonly SshPrivateKey Ca = TestKeys.Get(SshKeyType.Ed25519);

    [Fact]
    public void Well_formed_hand_built_blob_parses_so_the_cases_below_isolate_one_fault()
    {
        var certificate = SshCertificate.FromBlob(Build());
        Assert.True(certificate.VerifySignature());
        Assert.Equal("v", certificate.CriticalOptions["force-command"]);
    }

    [Fact]
    public void Unsorted_option_names_are_refused()
    {
        var options = Pairs(("source-address", Wrapped("10.0.0.1")), ("force-command", Wrapped("v")));
        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob(Build(critical: options)));
        Assert.Contains("sorted", error.Message);
    }

    [Fact]
    public void Repeated_extension_names_are_refused()
    {
        var extensions = Pairs(("permit-pty", []), ("permit-pty", []));
        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob(Build(extensions: extensions)));
        Assert.Contains("repeat", error.Message);
    }

    [Fact]
    public void Option_value_with_trailing_bytes_is_refused()
    {
        var options = Pairs(("force-command", [.. Wrapped("v"), 0]));
        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob(Build(critical: options)));
        Assert.Contains("trailing", error.Message);
    }

    [Fact]
    public void Unknown_certificate_type_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob(Build(type: 3)));
        Assert.Contains("Unknown certificate type 3", error.Message);
    }

    [Fact]
    public void Certificate_as_signature_key_is_refused()
    {
        var chained = new SshCertificateBuilder { PublicKey = Ca.PublicKey, Principals = ["x"] }.Sign(Ca).Blob;
        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob(Build(signatureKey: chained)));
        Assert.Contains("signature key", error.Message);
    }

    [Fact]
    public void Unknown_certificate_algorithm_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => SshCertificate.FromBlob(Build(algorithm: "ssh-dss-cert-v01@openssh.com")));
        Assert.Contains("Unsupported", error.Message);
    }

    private static byte[] Wrapped(string value) => new SshWriter().WriteString(value).ToArray();

    private static byte[] Pairs(params (string Name, byte[] Data)[] pairs)
    {
        var writer = new SshWriter();
        foreach (var (name, data) in pairs)
        {
            writer.WriteString(name).WriteString(data);
        }

        return writer.ToArray();
    }

    private static byte[] Build(
        string algorithm = "ssh-ed25519-cert-v01@openssh.com",
        uint type = 1,
        byte[]? critical = null,
        byte[]? extensions = null,
        byte[]? signatureKey = null)
    {
        var subject = (Ed25519PublicKey)TestKeys.GetOther(SshKeyType.Ed25519).PublicKey;
        var writer = new SshWriter()
            .WriteString(algorithm)
            .WriteString(new byte[32])
            .WriteString(subject.Key)
            .WriteUInt64(1)
            .WriteUInt32(type)
            .WriteString("id")
            .WriteString(new SshWriter().WriteString("alice"))
            .WriteUInt64(0)
            .WriteUInt64(ulong.MaxValue)
            .WriteString(critical ?? Pairs(("force-command", Wrapped("v"))))
            .WriteString(extensions ?? Pairs(("permit-pty", [])))
            .WriteString([])
            .WriteString(signatureKey ?? Ca.PublicKey.Blob);
        return writer.WriteString(Ca.Sign(writer.WrittenSpan)).ToArray();
    }
}
