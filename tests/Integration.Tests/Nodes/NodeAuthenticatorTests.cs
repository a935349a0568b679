using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Lock = Teleport.Orleans.Contracts.Api.Lock;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>
/// The node's login decision on its own: certificate from the user CA, login among the principals and granted by
/// the certificate's roles on this node's labels (deny wins), locks, host logins, port forwarding.
/// </summary>
public sealed class NodeAuthenticatorTests : IDisposable
{
    private const string Roles = """
        kind: role
        version: v7
        metadata:
          name: dev
        spec:
          options:
            port_forwarding: true
          allow:
            logins: [alice, bob]
            node_labels:
              env: dev
        ---
        kind: role
        version: v7
        metadata:
          name: no-secrets
        spec:
          deny:
            node_labels:
              secret: "yes"
        ---
        kind: role
        version: v7
        metadata:
          name: no-bob
        spec:
          deny:
            logins: [bob]
        """;

    private static readonly IPEndPoint Client = new(IPAddress.Loopback, 50000);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "node-auth-" + Guid.NewGuid().ToString("N"));
    private readonly SshPrivateKey _userCa = SshPrivateKey.Generate(SshKeyType.Ed25519);
    private readonly SshPrivateKey _userKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
    private readonly Dictionary<string, string> _labels = new() { ["env"] = "dev" };
    private readonly AccessPolicyCache _cache;
    private readonly NodeAuthenticator _authenticator;

    public NodeAuthenticatorTests()
    {
        _cache = new AccessPolicyCache(_dataDir, NullLogger<AccessPolicyCache>.Instance);
        _cache.Apply(Policy());
        _authenticator = new NodeAuthenticator(_cache, new NodeAccessContext("node-1", "node1.example.com", () => _labels), NullLogger<NodeAuthenticator>.Instance)
        {
            LoginExists = login => login is "alice" or "bob",
        };
    }

    public void Dispose()
    {
        _userCa.Dispose();
        _userKey.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public void A_login_granted_by_a_role_on_matching_labels_is_accepted_with_its_permissions()
    {
        var (reason, login) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"]), Client);

        Assert.Null(reason);
        Assert.NotNull(login);
        Assert.Equal("alice", login.User);
        Assert.Equal("alice", login.Login);
        Assert.Equal(["dev"], login.Roles);
        Assert.True(login.PortForwardingAllowed);
        Assert.Equal("127.0.0.1:50000", login.ClientAddress);
    }

    [Fact]
    public void A_login_that_is_not_a_certificate_principal_is_refused()
    {
        var (reason, _) = _authenticator.Decide("bob", Certificate(["alice"], ["dev"]), Client);

        Assert.Contains("Principal 'bob' is not listed", reason);
    }

    [Fact]
    public void A_login_no_role_grants_is_refused_even_when_it_is_a_principal()
    {
        var (reason, _) = _authenticator.Decide("root", Certificate(["root"], ["dev"]), Client);

        Assert.Contains("no role grants login 'root'", reason);
    }

    [Fact]
    public void A_certificate_from_another_ca_is_refused()
    {
        using var otherCa = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"], ca: otherCa), Client);

        Assert.Contains("untrusted CA", reason);
    }

    [Fact]
    public void A_plain_public_key_is_refused()
    {
        var (reason, login) = _authenticator.Decide("alice", null, Client);

        Assert.Null(login);
        Assert.Contains("certificate", reason);
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var expired = Certificate(["alice"], ["dev"], validBefore: DateTimeOffset.UtcNow.AddMinutes(-1));

        var (reason, _) = _authenticator.Decide("alice", expired, Client);

        Assert.Contains("expired", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_node_label_a_role_denies_refuses_the_login_although_another_role_allows_it()
    {
        _labels["secret"] = "yes";

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev", "no-secrets"]), Client);

        Assert.Contains("denied by role 'no-secrets'", reason);
    }

    [Fact]
    public void A_denied_login_wins_over_an_allowed_one()
    {
        var (reason, _) = _authenticator.Decide("bob", Certificate(["bob"], ["dev", "no-bob"]), Client);

        Assert.Contains("login 'bob' is denied by role 'no-bob'", reason);
    }

    [Fact]
    public void Labels_that_do_not_match_the_role_refuse_the_login()
    {
        _labels["env"] = "prod";

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"]), Client);

        Assert.Contains("node's labels do not match", reason);
    }

    [Fact]
    public void A_locked_user_is_refused_with_the_lock_message()
    {
        var policy = Policy();
        policy.Locks.Add(new Lock { Name = "l1", User = "alice", Message = "under investigation" });
        _cache.Apply(policy);

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"]), Client);

        Assert.Equal("lock targeting User:\"alice\" is in force: under investigation", reason);
    }

    [Fact]
    public void An_expired_lock_no_longer_refuses()
    {
        var policy = Policy();
        policy.Locks.Add(new Lock { Name = "l1", User = "alice", Expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)) });
        _cache.Apply(policy);

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"]), Client);

        Assert.Null(reason);
    }

    [Fact]
    public void A_lock_on_this_node_refuses_every_login()
    {
        var policy = Policy();
        policy.Locks.Add(new Lock { Name = "l1", Node = "node-1" });
        _cache.Apply(policy);

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"]), Client);

        Assert.Equal("lock targeting Node:\"node-1\" is in force", reason);
    }

    [Fact]
    public void A_login_missing_on_the_host_is_refused_clearly()
    {
        _authenticator.LoginExists = _ => false;

        var (reason, _) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"]), Client);

        Assert.Equal("login alice does not exist on host node1.example.com", reason);
    }

    [Fact]
    public void Port_forwarding_needs_the_certificate_extension_as_well_as_the_roles()
    {
        var (_, login) = _authenticator.Decide("alice", Certificate(["alice"], ["dev"], portForwarding: false), Client);

        Assert.False(login!.PortForwardingAllowed);
    }

    [Fact]
    public void The_policy_survives_a_restart_from_its_disk_copy()
    {
        var restarted = new AccessPolicyCache(_dataDir, NullLogger<AccessPolicyCache>.Instance);

        Assert.Equal(["dev", "no-bob", "no-secrets"], restarted.Current.Roles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(_userCa.PublicKey, Assert.Single(restarted.Current.UserCaKeys));
    }

    [Fact]
    public void The_root_user_exists_on_the_host_and_a_made_up_login_does_not()
    {
        Assert.True(HostUsers.Exists("root"));
        Assert.False(HostUsers.Exists("no-such-user-" + Guid.NewGuid().ToString("N")[..8]));
    }

    private AccessPolicy Policy()
    {
        var policy = new AccessPolicy();
        // Written as YAML for reading; the auth service sends them typed, as here.
        policy.Roles.AddRange(ResourceYaml.Parse(Roles).OfType<RoleDocument>().Select(document => RoleMessages.ToMessage(document.Role)));
        policy.UserCaKeys.Add($"cert-authority {_userCa.PublicKey.ToAuthorizedKeysLine()} clustername=example.com&type=user");
        return policy;
    }

    private SshCertificate Certificate(string[] principals, string[] roles, SshPrivateKey? ca = null, DateTimeOffset? validBefore = null, bool portForwarding = true)
    {
        var extensions = new Dictionary<string, string>
        {
            ["permit-pty"] = "",
            ["teleport-roles"] = JsonSerializer.Serialize(new { roles }),
            ["teleport-traits"] = "{}",
        };
        if (portForwarding)
        {
            extensions["permit-port-forwarding"] = "";
        }

        return new SshCertificateBuilder
        {
            PublicKey = _userKey.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "alice",
            Principals = principals,
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = validBefore ?? DateTimeOffset.UtcNow.AddHours(1),
            Extensions = extensions,
        }.Sign(ca ?? _userCa);
    }
}
