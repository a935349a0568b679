using System.Net;
using Microsoft.Extensions.Time.Testing;
using Teleport.Orleans.Access.Relay;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Access.Tests.Relay;

/// <summary>Which relay prefaces a node believes: a proxy of its cluster's, for this node, made just now, unaltered.</summary>
public sealed class RelayPrefaceTests
{
    private const string NodeId = "5f0c2a9e-1d3b-4e7a-9c8d-2b1a0f3e4d5c";

    private static readonly SshPrivateKey HostCa = SshPrivateKey.Generate(SshKeyType.Ed25519);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly SshPrivateKey _proxyKey = SshPrivateKey.Generate(SshKeyType.Ed25519);

    [Fact]
    public void A_proxy_s_preface_for_this_node_gives_the_client_address_it_vouches_for()
    {
        var line = Preface(Certificate(HostCa, "Proxy"), "203.0.113.9:51234");

        var client = Verifier().Verify(line, out var refusal);

        Assert.Null(refusal);
        Assert.Equal(IPEndPoint.Parse("203.0.113.9:51234"), client);
    }

    [Fact]
    public void The_same_proxy_certificate_is_believed_again_for_the_next_client()
    {
        var verifier = Verifier();
        var certificate = Certificate(HostCa, "Proxy");
        verifier.Verify(Preface(certificate, "203.0.113.9:1"), out _);

        var client = verifier.Verify(Preface(certificate, "[2001:db8::7]:2"), out var refusal);

        Assert.Null(refusal);
        Assert.Equal(IPEndPoint.Parse("[2001:db8::7]:2"), client);
    }

    [Fact]
    public void A_preface_whose_client_address_was_changed_is_refused()
    {
        var line = Preface(Certificate(HostCa, "Proxy"), "203.0.113.9:51234").Replace("203.0.113.9", "203.0.113.10", StringComparison.Ordinal);

        Assert.Null(Verifier().Verify(line, out var refusal));
        Assert.Contains("signature does not verify", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preface_signed_by_a_key_other_than_the_certificate_s_is_refused()
    {
        var line = RelayPreface.Create(SshPrivateKey.Generate(SshKeyType.Ed25519), Certificate(HostCa, "Proxy"), "203.0.113.9:1", NodeId, _time.GetUtcNow())!;

        Assert.Null(Verifier().Verify(line, out var refusal));
        Assert.Contains("signature does not verify", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preface_for_another_node_is_refused()
    {
        var line = RelayPreface.Create(_proxyKey, Certificate(HostCa, "Proxy"), "203.0.113.9:1", "another-node", _time.GetUtcNow())!;

        Assert.Null(Verifier().Verify(line, out var refusal));
        Assert.Contains("addressed to node another-node", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preface_older_than_two_minutes_is_refused()
    {
        var line = Preface(Certificate(HostCa, "Proxy"), "203.0.113.9:1");
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Null(Verifier().Verify(line, out var refusal));
        Assert.Contains("two minutes", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_s_certificate_cannot_vouch_for_clients()
    {
        var line = Preface(Certificate(HostCa, "Node"), "203.0.113.9:1");

        Assert.Null(Verifier().Verify(line, out var refusal));
        Assert.Contains("not Proxy", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_certificate_from_another_host_ca_is_refused()
    {
        var line = Preface(Certificate(SshPrivateKey.Generate(SshKeyType.Ed25519), "Proxy"), "203.0.113.9:1");

        Assert.Null(Verifier().Verify(line, out var refusal));
        Assert.Contains("not valid", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_host_ca_rotation_a_remembered_proxy_certificate_of_the_old_ca_is_refused()
    {
        var ca = HostCa.PublicKey.ToAuthorizedKeysLine();
        var verifier = new RelayPrefaceVerifier(NodeId, () => ca, _time);
        var certificate = Certificate(HostCa, "Proxy");
        Assert.NotNull(verifier.Verify(Preface(certificate, "203.0.113.9:1"), out _));

        ca = "@cert-authority * " + SshPrivateKey.Generate(SshKeyType.Ed25519).PublicKey.ToAuthorizedKeysLine();

        Assert.Null(verifier.Verify(Preface(certificate, "203.0.113.9:2"), out var refusal));
        Assert.Contains("not valid", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_that_is_no_relay_preface_is_refused()
    {
        Assert.Null(Verifier().Verify("GET / HTTP/1.1", out var refusal));
        Assert.Equal("not a relay preface of this version", refusal);
    }

    [Fact]
    public void A_client_address_that_is_no_ip_address_gets_no_preface()
    {
        Assert.Null(RelayPreface.Create(_proxyKey, Certificate(HostCa, "Proxy"), "", NodeId, _time.GetUtcNow()));
    }

    private RelayPrefaceVerifier Verifier() => new(NodeId, () => "@cert-authority * " + HostCa.PublicKey.ToAuthorizedKeysLine(), _time);

    private string Preface(SshCertificate certificate, string client) => RelayPreface.Create(_proxyKey, certificate, client, NodeId, _time.GetUtcNow())!;

    private SshCertificate Certificate(SshPrivateKey ca, string role) => new SshCertificateBuilder
    {
        PublicKey = _proxyKey.PublicKey,
        Type = SshCertificateType.Host,
        KeyId = "proxy-1.example.com",
        Principals = ["proxy-1", "localhost"],
        ValidBefore = _time.GetUtcNow().AddHours(1),
        Extensions = new Dictionary<string, string> { ["x-teleport-role"] = role },
    }.Sign(ca);
}
