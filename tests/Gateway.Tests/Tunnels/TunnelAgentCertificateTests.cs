using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.Tests.Tunnels;

/// <summary>Which agents the gateway accepts a reverse tunnel from: the host id is taken from a Node host certificate.</summary>
public sealed class TunnelAgentCertificateTests
{
    private const string HostId = "0b6c1f3e-8a4d-4c55-9a1e-3f2d4b5c6d7e";

    private static readonly SshPrivateKey HostCa = SshPrivateKey.Generate(SshKeyType.Ed25519);

    private static readonly SshCertificateValidator Validator = new([HostCa.PublicKey]);

    [Fact]
    public void Node_host_certificate_from_the_host_ca_gives_its_host_id()
    {
        var (hostId, refusal) = TunnelServer.CheckAgent(Certificate(HostCa, "Node", SshCertificateType.Host), Validator);

        Assert.Null(refusal);
        Assert.Equal(HostId, hostId);
    }

    [Fact]
    public void Certificate_for_another_role_is_refused()
    {
        var (hostId, refusal) = TunnelServer.CheckAgent(Certificate(HostCa, "Proxy", SshCertificateType.Host), Validator);

        Assert.Null(hostId);
        Assert.Contains("not Node", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_signed_by_another_ca_is_refused()
    {
        var (hostId, refusal) = TunnelServer.CheckAgent(Certificate(SshPrivateKey.Generate(SshKeyType.Ed25519), "Node", SshCertificateType.Host), Validator);

        Assert.Null(hostId);
        Assert.NotNull(refusal);
    }

    [Fact]
    public void User_certificate_is_refused()
    {
        var (hostId, _) = TunnelServer.CheckAgent(Certificate(HostCa, "Node", SshCertificateType.User), Validator);

        Assert.Null(hostId);
    }

    [Fact]
    public void Agent_without_a_certificate_is_refused()
    {
        var (hostId, refusal) = TunnelServer.CheckAgent(null, Validator);

        Assert.Null(hostId);
        Assert.Contains("no host certificate", refusal, StringComparison.Ordinal);
    }

    private static SshCertificate Certificate(SshPrivateKey ca, string role, SshCertificateType type) => new SshCertificateBuilder
    {
        PublicKey = SshPrivateKey.Generate(SshKeyType.Ed25519).PublicKey,
        Type = type,
        KeyId = $"{HostId}.example.com",
        Principals = [HostId, "node-1"],
        ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        Extensions = new Dictionary<string, string> { ["x-teleport-role"] = role },
    }.Sign(ca);
}
