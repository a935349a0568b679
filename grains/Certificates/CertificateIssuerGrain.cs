using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Access.Locks;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;
using Teleport.Orleans.Grains.Diagnostics;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Grains.Certificates;

/// <summary>
/// Signs certificates in parallel: a stateless worker, so each silo runs one activation per core, each holding a
/// copy of the active CA keys. The CA grains are asked only when the copy is older than <see cref="KeyRefresh"/>.
/// Reentrant, because an issuance mostly waits (user, roles, audit) and signing itself is synchronous.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class CertificateIssuerGrain(TimeProvider time, AuthMetrics metrics) : Grain, ICertificateIssuerGrain
{
    private static readonly TimeSpan KeyRefresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DefaultUserTtl = TimeSpan.FromHours(12);
    private static readonly TimeSpan MinUserTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DefaultHostTlsTtl = TimeSpan.FromDays(365);

    private SigningKeys? _keys;

    public async Task<UserCertificates> IssueUserCertificates(UserCertificateRequest request, Caller caller)
    {
        var keys = await GetKeys();
        var now = time.GetUtcNow();
        var user = await GrainFactory.GetGrain<IUserGrain>(request.User).Get()
            ?? throw AuthException.NotFound($"user \"{request.User}\" is not found");
        if (user.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            throw AuthException.AccessDenied($"user \"{user.Name}\" is locked until {lockedUntil:u}");
        }

        // A lock that names the user (tctl lock --user) stops new certificates as well as new sessions; at issue time
        // the session's only known target is the user (LockMatcher has the rule).
        var locks = await GrainFactory.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey).List();
        if (LockMatcher.FindInForce(locks, LockMatcher.SessionTargets(user.Name), now) is { } userLock)
        {
            throw AuthException.AccessDenied(userLock.Message.Length > 0
                ? $"user \"{user.Name}\" is locked by {userLock.Name}: {userLock.Message}"
                : $"user \"{user.Name}\" is locked by {userLock.Name}");
        }

        var roles = await LoadRoles(user.Roles);
        if (roles.Length == 0)
        {
            throw AuthException.AccessDenied($"user \"{user.Name}\" has no existing roles, so no certificate can be issued");
        }

        var roleSet = new RoleSet(roles, user.Traits);
        var requested = request.Ttl > TimeSpan.Zero ? request.Ttl : DefaultUserTtl;
        var ttl = requested < MinUserTtl ? MinUserTtl : requested;
        if (ttl > roleSet.MaxSessionTtl)
        {
            ttl = roleSet.MaxSessionTtl;
        }

        var validAfter = now - ClockSkew;
        var validBefore = request.RouteToApp is { } route && route.Expires < now + ttl ? route.Expires : now + ttl;
        // A certificate without principals would be valid for any login, so a user without logins gets one that exists nowhere.
        var logins = roleSet.Logins.Length > 0 ? roleSet.Logins : [$"-teleport-nologin-{Guid.NewGuid()}"];

        var sshCertificate = "";
        if (request.SshPublicKey.Length > 0 && request.RouteToApp is null)
        {
            var publicKey = ParseSshKey(request.SshPublicKey);
            var extensions = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["permit-pty"] = "",
                ["teleport-roles"] = JsonSerializer.Serialize(new { roles = user.Roles }),
                ["teleport-traits"] = JsonSerializer.Serialize(user.Traits),
            };
            if (roleSet.PortForwarding)
            {
                extensions["permit-port-forwarding"] = "";
            }

            if (roleSet.ForwardAgent)
            {
                extensions["permit-agent-forwarding"] = "";
            }

            if (roleSet.PermitX11Forwarding)
            {
                extensions["permit-X11-forwarding"] = "";
            }

            sshCertificate = new SshCertificateBuilder
            {
                PublicKey = publicKey,
                Type = SshCertificateType.User,
                KeyId = user.Name,
                Principals = logins,
                ValidAfter = validAfter,
                ValidBefore = validBefore,
                Serial = RandomSerial(),
                Extensions = extensions,
            }.Sign(keys.UserCa).ToAuthorizedKeysLine();
        }

        var tlsCertificate = "";
        if (request.TlsPublicKey.Length > 0)
        {
            var identity = new X509Identity
            {
                Name = user.Name,
                Roles = user.Roles,
                Logins = logins,
                Traits = JsonSerializer.Serialize(user.Traits),
                ClusterName = keys.ClusterName,
                RouteToApp = request.RouteToApp is { } app ? new AppRoute(app.SessionId, app.PublicAddr, keys.ClusterName, app.Name) : null,
            };
            tlsCertificate = X509CertificateIssuer.Issue(keys, request.TlsPublicKey, identity, validAfter, validBefore, serverAuth: false, []);
        }

        await GrainFactory.Audit(AuditEventTypes.CertificateCreate, caller, now, new JsonObject
        {
            ["cert_type"] = request.RouteToApp is null ? "user" : "app",
            ["identity"] = new JsonObject
            {
                ["user"] = user.Name,
                ["roles"] = new JsonArray([.. user.Roles.Select(r => JsonValue.Create(r))]),
                ["logins"] = new JsonArray([.. logins.Select(l => JsonValue.Create(l))]),
                ["expires"] = validBefore.UtcDateTime.ToString("O"),
                ["client_ip"] = request.ClientAddress,
            },
        });

        metrics.UserCertificateIssued();
        return new UserCertificates
        {
            SshCertificate = sshCertificate,
            TlsCertificatePem = tlsCertificate,
            TlsCaPem = keys.TlsCaPem,
            HostCaPublicKey = keys.HostCaPublic,
            UserCaPublicKey = keys.UserCaPublic,
            ClusterName = keys.ClusterName,
            ValidBefore = validBefore,
            Logins = logins,
        };
    }

    public async Task<HostCertificates> IssueHostCertificates(HostCertificateRequest request, Caller caller)
    {
        if (string.IsNullOrWhiteSpace(request.HostId))
        {
            throw AuthException.BadParameter("host id must not be empty");
        }

        using var timing = metrics.StartHostCertificate();

        var keys = await GetKeys();
        var now = time.GetUtcNow();
        var validAfter = now - ClockSkew;

        var sshCertificate = "";
        if (request.SshPublicKey.Length > 0)
        {
            sshCertificate = new SshCertificateBuilder
            {
                PublicKey = ParseSshKey(request.SshPublicKey),
                Type = SshCertificateType.Host,
                KeyId = $"{request.HostId}.{keys.ClusterName}",
                Principals = HostPrincipals.Build(request.HostId, request.NodeName, keys.ClusterName, request.Role, request.AdditionalPrincipals),
                ValidAfter = validAfter,
                ValidBefore = request.Ttl > TimeSpan.Zero ? now + request.Ttl : DateTimeOffset.MaxValue,
                Serial = RandomSerial(),
                Extensions = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["x-teleport-authority"] = keys.ClusterName,
                    ["x-teleport-role"] = request.Role,
                },
            }.Sign(keys.HostCa).ToAuthorizedKeysLine();
        }

        var tlsCertificate = "";
        if (request.TlsPublicKey.Length > 0)
        {
            var identity = new X509Identity
            {
                Name = $"{request.HostId}.{keys.ClusterName}",
                Roles = [request.Role],
                ClusterName = keys.ClusterName,
                SystemRoles = [request.Role],
            };
            var ttl = request.Ttl > TimeSpan.Zero ? request.Ttl : DefaultHostTlsTtl;
            tlsCertificate = X509CertificateIssuer.Issue(keys, request.TlsPublicKey, identity, validAfter, now + ttl, serverAuth: true, request.DnsNames);
        }

        await GrainFactory.Audit(AuditEventTypes.CertificateCreate, caller, now, new JsonObject
        {
            ["cert_type"] = "host",
            ["identity"] = new JsonObject
            {
                ["host_id"] = request.HostId,
                ["node_name"] = request.NodeName,
                ["role"] = request.Role,
            },
        });

        return new HostCertificates
        {
            SshCertificate = sshCertificate,
            TlsCertificatePem = tlsCertificate,
            TlsCaPem = keys.TlsCaPem,
            UserCaPublicKey = keys.UserCaPublic,
            HostCaPublicKey = keys.HostCaPublic,
            ClusterName = keys.ClusterName,
        };
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _keys?.Dispose();
        _keys = null;
        return Task.CompletedTask;
    }

    private async Task<SigningKeys> GetKeys()
    {
        var now = time.GetUtcNow();
        if (_keys is not null && now - _keys.LoadedAt < KeyRefresh)
        {
            return _keys;
        }

        var user = GrainFactory.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.User)).GetSigningKeys();
        var host = GrainFactory.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Host)).GetSigningKeys();
        var tls = GrainFactory.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetSigningKeys();
        // The previous copy is not disposed here: an interleaved issuance may still be signing with it.
        var loaded = SigningKeys.Create(await user, await host, await tls, now);
        _keys = loaded;
        return loaded;
    }

    private async Task<Role[]> LoadRoles(IEnumerable<string> names)
    {
        var roles = await Task.WhenAll(names.Select(name => GrainFactory.GetGrain<IRoleGrain>(name).Get()));
        return [.. roles.OfType<Role>()];
    }

    private static SshPublicKey ParseSshKey(string line)
    {
        try
        {
            return SshPublicKey.Parse(line);
        }
        catch (FormatException ex)
        {
            throw AuthException.BadParameter($"the SSH public key is not valid: {ex.Message}");
        }
    }

    private static ulong RandomSerial() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 1;
}
