using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// A proxy-only process renews the certificates it joined with through the auth API, as a node does, and the renewed
/// ones still name it as the joined ones did: a proxy has no node record the auth service could take its name from.
/// </summary>
public sealed class ProxyIdentityRenewalTests
{
    [Fact]
    public async Task Renewed_proxy_certificates_keep_the_role_name_and_principals_and_are_saved()
    {
        await using var server = await TeleportServer.StartAsync();
        (await server.Tctl("tokens", "add", "--type=proxy", "--value=renewal-proxy-token")).EnsureSuccess();
        var directory = Directory.CreateTempSubdirectory("proxy-renewal-").FullName;
        try
        {
            string[] principals = ["proxy.example.com"];
            var joined = await new NodeJoiner(NullLogger<NodeJoiner>.Instance).JoinAsync(Guid.NewGuid().ToString(), "renewing-proxy", new JoinParameters
            {
                Token = "renewal-proxy-token",
                Role = "Proxy",
                AuthServer = $"127.0.0.1:{server.AuthPort}",
                AdditionalPrincipals = principals,
            }, CancellationToken.None);
            joined.Save(directory);
            await using var auth = new NodeAuthClient($"127.0.0.1:{server.AuthPort}", joined, NullLogger<NodeAuthClient>.Instance);

            await new IdentityRenewer(directory, auth, NullLogger<IdentityRenewer>.Instance, principals).RenewAsync(CancellationToken.None);

            var saved = NodeIdentity.Load(directory)!;
            Assert.NotEqual(joined.TlsCertificatePem, saved.TlsCertificatePem);
            // The SSH host key stays; only the certificates are new.
            Assert.Equal(joined.HostKey().PublicKey.ToAuthorizedKeysLine(), saved.HostKey().PublicKey.ToAuthorizedKeysLine());
            Assert.Equal(saved.TlsCertificatePem, auth.Identity.TlsCertificatePem);
            using var tls = saved.TlsCertificate();
            var identity = Access.Identity.X509Identity.FromSubject(tls.SubjectName);
            Assert.Equal(["Proxy"], identity.SystemRoles);
            Assert.Contains("proxy.example.com", SubjectAltNames(tls));
            var ssh = saved.HostCertificate();
            Assert.Contains("renewing-proxy", ssh.Principals);
            Assert.Contains("proxy.example.com", ssh.Principals);
            Assert.Equal("Proxy", ssh.Extensions["x-teleport-role"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IEnumerable<string> SubjectAltNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames());
}
