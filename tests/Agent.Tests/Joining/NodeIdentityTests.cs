using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Agent.Joining;

namespace Teleport.Orleans.Agent.Tests.Joining;

/// <summary>
/// A joined node keeps its identity in node_identity.json and reuses it on restart; the file is written by a
/// compile-time serializer (so the Native AOT node can write it) in the shape earlier nodes wrote with reflection.
/// </summary>
public sealed class NodeIdentityTests
{
    [Fact]
    public void A_saved_identity_loads_back_unchanged()
    {
        using var dir = new TempDirectory();
        var identity = Identity();

        identity.Save(dir.Path);

        Assert.Equal(identity, NodeIdentity.Load(dir.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File(NodeIdentity.FileName)));
    }

    [Fact]
    public void An_identity_file_written_by_an_earlier_node_still_loads()
    {
        using var dir = new TempDirectory();
        var identity = Identity();
        // The reflection serializer's document: declared names, indented, with the computed NotAfter and NotBefore.
        dir.Write(NodeIdentity.FileName, $$"""
            {
              "HostId": {{Quote(identity.HostId)}},
              "NodeName": {{Quote(identity.NodeName)}},
              "ClusterName": {{Quote(identity.ClusterName)}},
              "SshPrivateKeyPem": {{Quote(identity.SshPrivateKeyPem)}},
              "SshCertificate": {{Quote(identity.SshCertificate)}},
              "TlsPrivateKeyPem": {{Quote(identity.TlsPrivateKeyPem)}},
              "TlsCertificatePem": {{Quote(identity.TlsCertificatePem)}},
              "TlsCaPem": {{Quote(identity.TlsCaPem)}},
              "HostCa": {{Quote(identity.HostCa)}},
              "UserCa": {{Quote(identity.UserCa)}},
              "NotAfter": "2030-01-01T00:00:00+00:00",
              "NotBefore": "2020-01-01T00:00:00+00:00"
            }
            """);

        Assert.Equal(identity, NodeIdentity.Load(dir.Path));
    }

    [Fact]
    public void A_damaged_identity_file_says_to_remove_it_to_join_again()
    {
        using var dir = new TempDirectory();
        dir.Write(NodeIdentity.FileName, "{ \"HostId\": ");

        var error = Assert.Throws<InvalidOperationException>(() => NodeIdentity.Load(dir.Path));

        Assert.Contains("remove it to join again", error.Message);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static NodeIdentity Identity()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=node-1", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return new NodeIdentity
        {
            HostId = "5b0e7a52-0d5e-4f3c-9a57-1f1c2f0c7e11",
            NodeName = "node-1",
            ClusterName = "example.com",
            SshPrivateKeyPem = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot parsed here\n-----END OPENSSH PRIVATE KEY-----\n",
            SshCertificate = "ssh-ed25519-cert-v01@openssh.com AAAA node-1",
            TlsPrivateKeyPem = key.ExportPkcs8PrivateKeyPem(),
            TlsCertificatePem = certificate.ExportCertificatePem(),
            TlsCaPem = certificate.ExportCertificatePem(),
            HostCa = "ssh-ed25519 AAAAhost",
            UserCa = "ssh-ed25519 AAAAuser",
        };
    }
}
