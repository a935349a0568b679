using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Certificates;
using Teleport.Orleans.Grains.Tests.Support;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Grains.Tests.Certificates;

[Collection(AuthClusterCollection.Name)]
public sealed partial class CertificateIssuerGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller Admin = new() { Name = "admin" };

    [Fact]
    public async Task User_certificate_carries_teleport_identity_as_ssh_keygen_reads_it()
    {
        var roleName = await CreateRole(maxTtl: TimeSpan.FromHours(1), portForwarding: false, logins: ["ops", "{{internal.logins}}"]);
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["access", roleName], ["alice", "root"]);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var issued = await Issue(user, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(10));
        var described = await SshKeygen.DescribeCertificate(issued.SshCertificate);

        Assert.Contains("ssh-ed25519-cert-v01@openssh.com user certificate", described);
        Assert.Contains($"Key ID: \"{user}\"", described);
        Assert.Equal(["alice", "ops", "root"], SshKeygen.Section(described, "Principals:"));
        var extensions = SshKeygen.Section(described, "Extensions:");
        Assert.Contains("permit-pty", extensions);
        Assert.DoesNotContain("permit-port-forwarding", extensions);
        Assert.Contains(extensions, e => e.StartsWith("teleport-roles", StringComparison.Ordinal));
        Assert.Contains(extensions, e => e.StartsWith("teleport-traits", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1), ValidityWindow(described));
    }

    [Fact]
    public async Task Certificate_ttl_below_the_role_limit_is_kept()
    {
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);

        var issued = await Issue(user, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(2));
        var described = await SshKeygen.DescribeCertificate(issued.SshCertificate);

        Assert.Equal(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1), ValidityWindow(described));
        Assert.Contains("permit-port-forwarding", SshKeygen.Section(described, "Extensions:"));
        Assert.Contains("permit-agent-forwarding", SshKeygen.Section(described, "Extensions:"));
    }

    [Fact]
    public async Task User_under_a_lock_gets_no_certificate_and_a_lock_on_a_node_alone_does_not_stop_it()
    {
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var nodeLock = "node-only-" + Guid.NewGuid().ToString("N");
        await fixture.Grains.GetGrain<ILockGrain>(nodeLock).Save(new AccessLock { Name = nodeLock, Target = new LockTarget { Node = "some-node" } }, upsert: false, Admin);
        Assert.NotEmpty((await Issue(user, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(1))).SshCertificate);

        var userLock = "user-" + Guid.NewGuid().ToString("N");
        await fixture.Grains.GetGrain<ILockGrain>(userLock).Save(new AccessLock { Name = userLock, Target = new LockTarget { User = user }, Message = "incident 42" }, upsert: false, Admin);
        var error = await Assert.ThrowsAsync<AuthException>(() => Issue(user, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(1)));

        Assert.Equal(AuthErrorKind.AccessDenied, error.Kind);
        Assert.Contains("incident 42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_naming_the_user_and_a_node_stops_certificates_too_as_in_Teleport()
    {
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var both = "user-and-node-" + Guid.NewGuid().ToString("N");
        await fixture.Grains.GetGrain<ILockGrain>(both).Save(new AccessLock { Name = both, Target = new LockTarget { User = user, Node = "some-node" } }, upsert: false, Admin);

        var error = await Assert.ThrowsAsync<AuthException>(() => Issue(user, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(1)));

        Assert.Equal(AuthErrorKind.AccessDenied, error.Kind);
        Assert.Contains(both, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task X509_identity_names_the_user_roles_and_logins()
    {
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["access", "auditor"], ["deploy"]);
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var issued = await fixture.Grains.GetGrain<ICertificateIssuerGrain>(0).IssueUserCertificates(new UserCertificateRequest
        {
            User = user,
            TlsPublicKey = tlsKey.ExportSubjectPublicKeyInfo(),
            Ttl = TimeSpan.FromHours(1),
        }, Admin);
        using var certificate = X509Certificate2.CreateFromPem(issued.TlsCertificatePem);
        using var ca = X509Certificate2.CreateFromPem(issued.TlsCaPem);
        var identity = X509Identity.FromSubject(certificate.SubjectName);

        Assert.Equal(user, identity.Name);
        Assert.Equal(["access", "auditor"], identity.Roles);
        Assert.Equal(["deploy"], identity.Logins);
        Assert.Equal(AuthClusterFixture.ClusterName, identity.ClusterName);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = fixture.Time.GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public async Task Host_certificate_has_teleport_principals_and_extensions()
    {
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var issued = await fixture.Grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = "5e1c7a0e-0000-4000-8000-000000000001",
            NodeName = "web-1",
            Role = "Node",
            SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
            AdditionalPrincipals = ["10.1.2.3"],
        }, Admin);
        var described = await SshKeygen.DescribeCertificate(issued.SshCertificate);

        Assert.Contains("host certificate", described);
        Assert.Contains("Valid: after ", described);
        Assert.DoesNotContain(" to ", described.Split('\n').Single(l => l.Contains("Valid:", StringComparison.Ordinal)));
        Assert.Equal(
            [
                "5e1c7a0e-0000-4000-8000-000000000001.test.example.com", "5e1c7a0e-0000-4000-8000-000000000001",
                "web-1.test.example.com", "web-1", "localhost", "127.0.0.1", "::1", "10.1.2.3",
            ],
            SshKeygen.Section(described, "Principals:"));
        var extensions = SshKeygen.Section(described, "Extensions:");
        Assert.Contains(extensions, e => e.StartsWith("x-teleport-authority", StringComparison.Ordinal));
        Assert.Contains(extensions, e => e.StartsWith("x-teleport-role", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_without_logins_gets_a_principal_that_matches_no_account()
    {
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["editor"]);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var issued = await Issue(user, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(1));

        var principal = Assert.Single(issued.Logins);
        Assert.StartsWith("-teleport-nologin-", principal);
    }

    [Fact]
    public async Task User_without_roles_gets_no_certificate()
    {
        var name = TestUsers.UniqueName("roleless");
        await fixture.Grains.GetGrain<IUserGrain>(name).Save(new User { Name = name, Roles = [] }, upsert: false, Admin);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var error = await Assert.ThrowsAsync<AuthException>(() => Issue(name, key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(1)));

        Assert.Equal(AuthErrorKind.AccessDenied, error.Kind);
    }

    [Fact]
    public async Task Malformed_public_key_is_a_bad_parameter()
    {
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);

        var error = await Assert.ThrowsAsync<AuthException>(() => Issue(user, "ssh-ed25519 not-base64!!", TimeSpan.FromHours(1)));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
    }

    [Fact]
    public async Task Certificates_for_an_unknown_user_are_refused()
    {
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var error = await Assert.ThrowsAsync<AuthException>(() => Issue("nobody-here", key.PublicKey.ToAuthorizedKeysLine(), TimeSpan.FromHours(1)));

        Assert.Equal(AuthErrorKind.NotFound, error.Kind);
    }

    private Task<UserCertificates> Issue(string user, string publicKey, TimeSpan ttl) =>
        fixture.Grains.GetGrain<ICertificateIssuerGrain>(0).IssueUserCertificates(
            new UserCertificateRequest { User = user, SshPublicKey = publicKey, Ttl = ttl }, Admin);

    private async Task<string> CreateRole(TimeSpan maxTtl, bool portForwarding, string[] logins)
    {
        var name = TestUsers.UniqueName("role");
        await fixture.Grains.GetGrain<IRoleGrain>(name).Save(new Role
        {
            Name = name,
            Options = new RoleOptions { MaxSessionTtl = maxTtl, PortForwarding = portForwarding },
            Allow = new RoleConditions { Logins = logins, NodeLabels = new() { ["*"] = ["*"] } },
        }, upsert: false, Admin);
        return name;
    }

    private static TimeSpan ValidityWindow(string described)
    {
        var match = ValidLine().Match(described);
        Assert.True(match.Success, described);
        return DateTime.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) - DateTime.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Valid: from (\S+) to (\S+)")]
    private static partial Regex ValidLine();
}
