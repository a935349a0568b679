using System.Net;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Certificates;

public sealed class SshCertificateValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Client = IPAddress.Parse("10.1.2.3");
    private static readonly SshPrivateKey Ca = TestKeys.Get(SshKeyType.Ed25519);

    private static readonly SshCertificateValidator Validator = new([Ca.PublicKey], TimeSpan.FromMinutes(2), new FixedTimeProvider(Now));

    [Fact]
    public void Valid_user_certificate_is_accepted_and_reports_its_force_command()
    {
        var certificate = Issue(critical: new() { ["force-command"] = "/usr/bin/uptime", ["source-address"] = "192.168.0.0/16,10.0.0.0/8" });

        var result = Validator.ValidateUser(certificate, "alice", Client);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(SshCertificateRejection.None, result.Rejection);
        Assert.Equal("/usr/bin/uptime", result.ForceCommand);
    }

    [Fact]
    public void Expired_certificate_is_refused()
    {
        var certificate = Issue(validAfter: Now.AddHours(-2), validBefore: Now.AddMinutes(-3));
        AssertRefused(SshCertificateRejection.Expired, "expired", Validator.ValidateUser(certificate, "alice", Client));
    }

    [Fact]
    public void Not_yet_valid_certificate_is_refused()
    {
        var certificate = Issue(validAfter: Now.AddMinutes(3), validBefore: Now.AddHours(1));
        AssertRefused(SshCertificateRejection.NotYetValid, "not valid until", Validator.ValidateUser(certificate, "alice", Client));
    }

    [Fact]
    public void Clock_skew_tolerates_a_window_just_outside_now()
    {
        var early = Issue(validAfter: Now.AddMinutes(1), validBefore: Now.AddHours(1));
        var late = Issue(validAfter: Now.AddHours(-1), validBefore: Now.AddMinutes(-1));
        Assert.True(Validator.ValidateUser(early, "alice", Client).IsValid);
        Assert.True(Validator.ValidateUser(late, "alice", Client).IsValid);

        var strict = new SshCertificateValidator([Ca.PublicKey], TimeSpan.Zero, new FixedTimeProvider(Now));
        Assert.Equal(SshCertificateRejection.NotYetValid, strict.ValidateUser(early, "alice", Client).Rejection);
        Assert.Equal(SshCertificateRejection.Expired, strict.ValidateUser(late, "alice", Client).Rejection);
    }

    [Fact]
    public void Host_certificate_offered_as_user_certificate_is_refused()
    {
        var certificate = Issue(type: SshCertificateType.Host);
        AssertRefused(SshCertificateRejection.WrongType, "expected a user certificate", Validator.ValidateUser(certificate, "alice", Client));
    }

    [Fact]
    public void Certificate_from_an_untrusted_CA_is_refused()
    {
        var certificate = Issue(ca: TestKeys.GetOther(SshKeyType.Ed25519));
        AssertRefused(SshCertificateRejection.UntrustedCa, "untrusted CA", Validator.ValidateUser(certificate, "alice", Client));
    }

    [Fact]
    public void Certificate_with_a_broken_signature_is_refused()
    {
        var blob = Issue().Blob;
        blob[^1] ^= 0x01;
        AssertRefused(SshCertificateRejection.InvalidSignature, "signature", Validator.ValidateUser(SshCertificate.FromBlob(blob), "alice", Client));
    }

    [Fact]
    public void Principal_missing_from_the_certificate_is_refused()
    {
        AssertRefused(SshCertificateRejection.PrincipalNotAllowed, "'root' is not listed", Validator.ValidateUser(Issue(), "root", Client));
        AssertRefused(SshCertificateRejection.PrincipalNotAllowed, "not listed", Validator.ValidateUser(Issue(), "Alice", Client));
    }

    [Fact]
    public void Certificate_without_principals_is_refused_like_sshd_does()
    {
        var certificate = Issue(principals: []);
        AssertRefused(SshCertificateRejection.NoPrincipals, "lacks a principal list", Validator.ValidateUser(certificate, "alice", Client));
    }

    [Theory]
    [InlineData("verify-required")]
    [InlineData("x-unknown@example.com")]
    public void Unknown_critical_option_is_refused(string option)
    {
        var certificate = Issue(critical: new() { [option] = "" });
        AssertRefused(SshCertificateRejection.UnsupportedCriticalOption, option, Validator.ValidateUser(certificate, "alice", Client));
    }

    [Theory]
    [InlineData("10.1.2.4/32", "10.1.2.3")]
    [InlineData("192.168.0.0/16", "10.1.2.3")]
    [InlineData("10.1.2.0/31", "10.1.2.3")]
    [InlineData("2001:db8::/32", "10.1.2.3")]
    [InlineData("10.0.0.0/8", "2001:db8::1")]
    [InlineData("2001:db8::/33", "2001:db8:8000::1")]
    public void Client_outside_source_address_is_refused(string sourceAddress, string client)
    {
        var certificate = Issue(critical: new() { ["source-address"] = sourceAddress });
        AssertRefused(SshCertificateRejection.SourceAddressMismatch, "is not in the certificate's source-address", Validator.ValidateUser(certificate, "alice", IPAddress.Parse(client)));
    }

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("10.1.2.0/25", "10.1.2.3")]
    [InlineData("127.0.0.1/32, 10.0.0.0/8", "10.1.2.3")]
    [InlineData("0.0.0.0/0", "10.1.2.3")]
    [InlineData("10.1.2.3/32", "::ffff:10.1.2.3")]
    [InlineData("2001:db8::/32", "2001:db8:1::5")]
    [InlineData("::1", "::1")]
    public void Client_inside_source_address_is_accepted(string sourceAddress, string client)
    {
        var certificate = Issue(critical: new() { ["source-address"] = sourceAddress });
        var result = Validator.ValidateUser(certificate, "alice", IPAddress.Parse(client));
        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Source_address_without_a_known_client_address_is_refused()
    {
        var certificate = Issue(critical: new() { ["source-address"] = "10.0.0.0/8" });
        AssertRefused(SshCertificateRejection.SourceAddressMismatch, "client address is unknown", Validator.ValidateUser(certificate, "alice", null));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.0/8,,")]
    [InlineData("10")]
    [InlineData("fe80::1%eth0")]
    public void Malformed_source_address_refuses_everyone(string sourceAddress)
    {
        var certificate = Issue(critical: new() { ["source-address"] = sourceAddress });
        AssertRefused(SshCertificateRejection.InvalidCriticalOption, "malformed", Validator.ValidateUser(certificate, "alice", Client));
    }

    [Fact]
    public void Host_certificate_is_validated_against_the_host_name_case_insensitively()
    {
        var certificate = Issue(type: SshCertificateType.Host, principals: ["node1.example.com"]);

        Assert.True(Validator.ValidateHost(certificate, "NODE1.example.com").IsValid);
        Assert.Equal(SshCertificateRejection.PrincipalNotAllowed, Validator.ValidateHost(certificate, "node2.example.com").Rejection);
        Assert.Equal(SshCertificateRejection.WrongType, Validator.ValidateHost(Issue(), "alice").Rejection);
    }

    [Fact]
    public void Host_certificate_with_any_critical_option_is_refused()
    {
        var certificate = Issue(type: SshCertificateType.Host, principals: ["node1"], critical: new() { ["force-command"] = "ls" });
        AssertRefused(SshCertificateRejection.UnsupportedCriticalOption, "Host certificate", Validator.ValidateHost(certificate, "node1"));
    }

    [Fact]
    public void Any_of_several_trusted_CAs_of_any_type_is_accepted()
    {
        var rsaCa = TestKeys.Get(SshKeyType.Rsa);
        var validator = new SshCertificateValidator([Ca.PublicKey, rsaCa.PublicKey], timeProvider: new FixedTimeProvider(Now));

        Assert.True(validator.ValidateUser(Issue(ca: rsaCa), "alice", Client).IsValid);
    }

    private static void AssertRefused(SshCertificateRejection expected, string reasonPart, SshCertificateValidationResult result)
    {
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Rejection);
        Assert.Contains(reasonPart, result.Reason);
        Assert.Null(result.ForceCommand);
    }

    private static SshCertificate Issue(
        SshCertificateType type = SshCertificateType.User,
        string[]? principals = null,
        DateTimeOffset? validAfter = null,
        DateTimeOffset? validBefore = null,
        Dictionary<string, string>? critical = null,
        SshPrivateKey? ca = null) =>
        new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(SshKeyType.EcdsaP256).PublicKey,
            Type = type,
            KeyId = "test",
            Principals = principals ?? ["alice", "bob"],
            ValidAfter = validAfter ?? Now.AddHours(-1),
            ValidBefore = validBefore ?? Now.AddHours(1),
            CriticalOptions = critical ?? [],
        }.Sign(ca ?? Ca);
}
