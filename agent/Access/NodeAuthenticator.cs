using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;

namespace Teleport.Orleans.Agent.Access;

/// <summary>
/// Decides SSH logins on the node: a user certificate signed by a current user CA key, valid now, the login among
/// its principals and allowed by the certificate's roles on this node's labels (deny wins), no lock in force, and the
/// login existing on the host. Accepted logins carry a <see cref="NodeLogin"/> to the session handlers.
/// </summary>
internal sealed partial class NodeAuthenticator(
    AccessPolicyCache policy,
    NodeAccessContext node,
    ILogger<NodeAuthenticator> logger)
{
    /// <summary>Where refusals are reported (audit); never throws into the SSH handshake.</summary>
    public Action<LoginRefusal>? Refused { get; set; }

    /// <summary>Checks a login against the host's user database; replaceable for tests.</summary>
    public Func<string, bool> LoginExists { get; set; } = HostUsers.Exists;

    public ValueTask<SshAuthenticationResult> AuthenticateAsync(SshAuthenticationRequest request, CancellationToken cancellationToken)
    {
        var (reason, login) = Decide(request.UserName, request.Certificate, request.RemoteEndPoint);
        if (login is not null)
        {
            if (request.IsSignatureVerified)
            {
                LogAccepted(login.User, login.Login, login.ClientAddress);
            }

            return ValueTask.FromResult(SshAuthenticationResult.Accept(login));
        }

        // Clients offer plain keys before certificates (OpenSSH tries both halves of -i): not worth an audit event.
        if (request.Certificate is null)
        {
            LogPlainKeyRefused(request.UserName, Address(request.RemoteEndPoint));
        }
        else
        {
            // A refused query is not signed afterwards, so each refusal is reported once.
            var user = request.Certificate.KeyId;
            LogRefused(user, request.UserName, Address(request.RemoteEndPoint), reason!);
            try
            {
                Refused?.Invoke(new LoginRefusal(user, request.UserName, Address(request.RemoteEndPoint), reason!));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogReportFailed(ex);
            }
        }

        return ValueTask.FromResult(SshAuthenticationResult.Reject(reason!));
    }

    /// <summary>The reason for a refusal, or the accepted login.</summary>
    internal (string? Reason, NodeLogin? Login) Decide(string login, SshCertificate? presented, EndPoint? remoteEndPoint)
    {
        if (presented is not { } certificate)
        {
            return ("a plain public key is not accepted: log in with a certificate from the cluster's user CA", null);
        }

        var snapshot = policy.Current;
        if (snapshot.UserCaKeys.Count == 0)
        {
            return ("the node has no user CA keys yet (no access policy from the auth service)", null);
        }

        var remoteAddress = (remoteEndPoint as IPEndPoint)?.Address is { } ip && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : (remoteEndPoint as IPEndPoint)?.Address;
        if (login == SessionJoin.Principal)
        {
            return DecideJoin(snapshot, certificate, remoteAddress, remoteEndPoint);
        }

        var validation = new SshCertificateValidator(snapshot.UserCaKeys).ValidateUser(certificate, login, remoteAddress);
        if (!validation.IsValid)
        {
            return (validation.Reason, null);
        }

        var user = certificate.KeyId;
        if (NodeLocks.Find(snapshot.Locks, user, login, node, DateTimeOffset.UtcNow) is { } inForce)
        {
            return (NodeLocks.Describe(inForce), null);
        }

        var roleNames = CertificateRoles(certificate);
        var roles = roleNames.Select(n => snapshot.Roles.GetValueOrDefault(n)).OfType<Role>().ToArray();
        if (roles.Length == 0)
        {
            return ($"none of the certificate's roles ({string.Join(", ", roleNames)}) exists in the cluster", null);
        }

        var roleSet = new RoleSet(roles, CertificateTraits(certificate));
        var decision = roleSet.CheckLogin(login, node.Labels());
        if (!decision.Allowed)
        {
            return ($"access to node {node.Hostname} as {login} denied: {decision.Reason}", null);
        }

        if (!LoginExists(login))
        {
            return ($"login {login} does not exist on host {node.Hostname}", null);
        }

        return (null, new NodeLogin
        {
            User = user,
            Login = login,
            Roles = roleNames,
            Traits = CertificateTraits(certificate),
            PortForwardingAllowed = roleSet.LocalPortForwarding && certificate.Extensions.ContainsKey("permit-port-forwarding"),
            RemotePortForwardingAllowed = roleSet.RemotePortForwarding && certificate.Extensions.ContainsKey("permit-port-forwarding"),
            AgentForwardingAllowed = roleSet.ForwardAgent && certificate.Extensions.ContainsKey("permit-agent-forwarding"),
            PtyAllowed = certificate.Extensions.ContainsKey("permit-pty"),
            CertificateValidBefore = certificate.ValidBefore,
            DisconnectExpiredCert = roleSet.DisconnectExpiredCert,
            ClientIdleTimeout = roleSet.ClientIdleTimeout,
            ClientAddress = Address(remoteEndPoint),
        });
    }

    /// <summary>
    /// Teleport's join login: any valid user certificate of the cluster may ask, because the session's node decides
    /// the join itself from the joiner's join_sessions policies. The certificate is checked as for its own first
    /// principal (Teleport adds the join principal to every user certificate; this node accepts it in their place).
    /// </summary>
    private (string? Reason, NodeLogin? Login) DecideJoin(AccessPolicySnapshot snapshot, SshCertificate certificate, IPAddress? remoteAddress, EndPoint? remoteEndPoint)
    {
        var principal = certificate.Principals.Count > 0 ? certificate.Principals[0] : "";
        var validation = new SshCertificateValidator(snapshot.UserCaKeys).ValidateUser(certificate, principal, remoteAddress);
        if (!validation.IsValid)
        {
            return (validation.Reason, null);
        }

        var user = certificate.KeyId;
        if (NodeLocks.Find(snapshot.Locks, user, SessionJoin.Principal, node, DateTimeOffset.UtcNow) is { } inForce)
        {
            return (NodeLocks.Describe(inForce), null);
        }

        var roleNames = CertificateRoles(certificate);
        var roles = roleNames.Select(n => snapshot.Roles.GetValueOrDefault(n)).OfType<Role>().ToArray();
        if (roles.Length == 0)
        {
            return ($"none of the certificate's roles ({string.Join(", ", roleNames)}) exists in the cluster", null);
        }

        var roleSet = new RoleSet(roles, CertificateTraits(certificate));
        return (null, new NodeLogin
        {
            User = user,
            Login = SessionJoin.Principal,
            Roles = roleNames,
            Traits = CertificateTraits(certificate),
            JoinRoles = roleSet,
            PortForwardingAllowed = false,
            PtyAllowed = certificate.Extensions.ContainsKey("permit-pty"),
            CertificateValidBefore = certificate.ValidBefore,
            DisconnectExpiredCert = roleSet.DisconnectExpiredCert,
            ClientIdleTimeout = TimeSpan.Zero,
            ClientAddress = Address(remoteEndPoint),
        });
    }

    internal static string[] CertificateRoles(SshCertificate certificate)
    {
        if (!certificate.Extensions.TryGetValue("teleport-roles", out var json) || json.Length == 0)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? [.. roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    internal static Dictionary<string, string[]> CertificateTraits(SshCertificate certificate)
    {
        if (!certificate.Extensions.TryGetValue("teleport-traits", out var json) || json.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, CertificateTraitsJsonContext.Default.DictionaryStringStringArray) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Address(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => $"{(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address)}:{ip.Port}",
        null => "",
        _ => endPoint.ToString() ?? "",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Login of {User} as {Login} from {Address} accepted")]
    private partial void LogAccepted(string user, string login, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login of {User} as {Login} from {Address} refused: {Reason}")]
    private partial void LogRefused(string user, string login, string address, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Plain public key for {Login} from {Address} refused: only certificates are accepted")]
    private partial void LogPlainKeyRefused(string login, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting a refused login failed")]
    private partial void LogReportFailed(Exception exception);
}

/// <summary>A refused login, for the audit log.</summary>
internal sealed record LoginRefusal(string User, string Login, string ClientAddress, string Reason);
