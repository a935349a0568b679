using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Silo.Boundary;

/// <summary>
/// What a proxy may ask of the grains. Where the verified identity comes from: an external Orleans client reached
/// the gateway port only through mutual TLS with a Proxy (or Auth) certificate of this cluster
/// (<c>InternalTlsSiloBuilderExtensions</c>); the auth API's gRPC calls come from the silo's own hosted client after
/// <c>ApiAuthorizer</c> checked the caller's certificate; grains call each other inside the silo. So a call from an
/// external client is a proxy's, whatever <see cref="Caller"/> it declares: it may make only the calls a proxy needs
/// (reads it routes on, a login or join with the user's or host's own secret, its audit events, tunnel records), and
/// it may not declare a system identity. Every admin operation (users, roles, tokens, locks, certificates on
/// request) stays with the auth API and the silos, except the web UI's admin calls (<see cref="WebUserCalls"/>), which a
/// proxy makes only for a signed-in user: the call names the user's web session, checked here, and the user's own roles
/// must allow it. So a proxy acts only as the users whose sessions pass through it, within their rights. This narrows
/// what a misused proxy can do; the client id is the one the client declared, so it is not a defence against a stolen
/// Proxy key, which the TLS CA must revoke.
/// </summary>
internal sealed partial class ProxyCallPolicy(IGrainFactory grains, ILogger<ProxyCallPolicy> logger) : IIncomingGrainCallFilter
{
    private static readonly string[] SystemIdentities = ["Admin", "Auth"];

    private static readonly FrozenSet<string> Allowed = new[]
    {
        $"{nameof(IClusterGrain)}.{nameof(IClusterGrain.GetSettings)}",
        $"{nameof(ICertAuthorityGrain)}.{nameof(ICertAuthorityGrain.GetInfo)}",
        $"{nameof(IUserLoginGrain)}.{nameof(IUserLoginGrain.Login)}",
        $"{nameof(IUserLoginGrain)}.{nameof(IUserLoginGrain.LoginWeb)}",
        // A password check, with the login's lockout and audit (the account page asks it before a change).
        $"{nameof(IUserGrain)}.{nameof(IUserGrain.Authenticate)}",
        // Web sessions by their secret id; each checks the bearer itself. Start is the login grain's alone.
        $"{nameof(IWebSessionGrain)}.{nameof(IWebSessionGrain.Use)}",
        $"{nameof(IWebSessionGrain)}.{nameof(IWebSessionGrain.Check)}",
        $"{nameof(IWebSessionGrain)}.{nameof(IWebSessionGrain.End)}",
        $"{nameof(IWebSessionGrain)}.{nameof(IWebSessionGrain.Renew)}",
        $"{nameof(IWebSessionGrain)}.{nameof(IWebSessionGrain.EndAllOfUser)}",
        $"{nameof(IWebSessionGrain)}.{nameof(IWebSessionGrain.IssueUserCertificates)}",
        $"{nameof(IHostJoinGrain)}.{nameof(IHostJoinGrain.Join)}",
        $"{nameof(IUserTokenGrain)}.{nameof(IUserTokenGrain.Get)}",
        $"{nameof(IUserTokenGrain)}.{nameof(IUserTokenGrain.Redeem)}",
        $"{nameof(IAuditLogGrain)}.{nameof(IAuditLogGrain.Emit)}",
        $"{nameof(IAuditLogGrain)}.{nameof(IAuditLogGrain.EmitBatch)}",
        // The web UI's audit log page; the proxy applies the user's event:list rule, as it does for recordings.
        $"{nameof(IAuditLogGrain)}.{nameof(IAuditLogGrain.Search)}",
        // A user's record (no secrets in it; the user directory's List is allowed too): the user editor's update.
        $"{nameof(IUserGrain)}.{nameof(IUserGrain.Get)}",
        $"{nameof(IClusterChangeHubGrain)}.{nameof(IClusterChangeHubGrain.Subscribe)}",
        $"{nameof(IClusterChangeHubGrain)}.{nameof(IClusterChangeHubGrain.Unsubscribe)}",
        $"{nameof(ILockGrain)}.{nameof(ILockGrain.Get)}",
        $"{nameof(INodeDirectoryShardGrain)}.{nameof(INodeDirectoryShardGrain.List)}",
        $"{nameof(INodeGrain)}.{nameof(INodeGrain.Get)}",
        $"{nameof(INodeGrain)}.{nameof(INodeGrain.SetTunnelGateway)}",
        $"{nameof(IRecordingReaderGrain)}.{nameof(IRecordingReaderGrain.ListSessionEnds)}",
        $"{nameof(IRecordingReaderGrain)}.{nameof(IRecordingReaderGrain.Read)}",
        "IResourceDirectoryGrain`1.List",
        $"{nameof(ISessionDirectoryGrain)}.{nameof(ISessionDirectoryGrain.List)}",
        $"{nameof(IRoleGrain)}.{nameof(IRoleGrain.Get)}",
        // ACME (proxy_service.acme): the proxies order the web certificates and answer the validation themselves.
        $"{nameof(IAcmeAccountGrain)}.{nameof(IAcmeAccountGrain.GetAccount)}",
        $"{nameof(IAcmeAccountGrain)}.{nameof(IAcmeAccountGrain.SaveAccount)}",
        $"{nameof(IAcmeAccountGrain)}.{nameof(IAcmeAccountGrain.TryAcquireLease)}",
        $"{nameof(IAcmeAccountGrain)}.{nameof(IAcmeAccountGrain.ReleaseLease)}",
        $"{nameof(IAcmeCertificateGrain)}.{nameof(IAcmeCertificateGrain.GetCertificate)}",
        $"{nameof(IAcmeCertificateGrain)}.{nameof(IAcmeCertificateGrain.SaveCertificate)}",
        $"{nameof(IAcmeCertificateGrain)}.{nameof(IAcmeCertificateGrain.GetChallenge)}",
        $"{nameof(IAcmeCertificateGrain)}.{nameof(IAcmeCertificateGrain.SetChallenge)}",
        $"{nameof(IAppRegistryGrain)}.{nameof(IAppRegistryGrain.List)}",
        $"{nameof(IAppRegistryGrain)}.{nameof(IAppRegistryGrain.Get)}",
        // Tunnel records of app services (the proxy holding the tunnel, as for nodes): a pointer for other proxies.
        $"{nameof(IAppRegistryGrain)}.{nameof(IAppRegistryGrain.SetTunnelGateway)}",
        $"{nameof(IAppRegistryGrain)}.{nameof(IAppRegistryGrain.ClearTunnelGateway)}",
        // The app session grain checks the user's certificate itself; a proxy cannot start a session on its own word.
        $"{nameof(IAppSessionGrain)}.{nameof(IAppSessionGrain.Create)}",
        $"{nameof(IAppSessionGrain)}.{nameof(IAppSessionGrain.Get)}",
        $"{nameof(IAppSessionGrain)}.{nameof(IAppSessionGrain.End)}",
        // The app launch's one-time state (a random key), issued and consumed by the proxies.
        $"{nameof(IAppLaunchStateGrain)}.{nameof(IAppLaunchStateGrain.Issue)}",
        $"{nameof(IAppLaunchStateGrain)}.{nameof(IAppLaunchStateGrain.Consume)}",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly Assembly Contracts = typeof(Caller).Assembly;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (IsExternalClient(context.SourceId) && await Refusal(context) is { } refusal)
        {
            LogRefused(context.SourceId?.ToString() ?? "unknown", refusal);
            throw AuthException.AccessDenied(refusal);
        }

        await context.Invoke();
    }

    /// <summary>A client connected through the gateway port; a silo's hosted client (the auth API) is named "hosted-...".</summary>
    internal static bool IsExternalClient(GrainId? source) =>
        source is { } id
        && id.Type.ToString().StartsWith("sys.client", StringComparison.Ordinal)
        && !id.Key.ToString().StartsWith("hosted-", StringComparison.Ordinal);

    private async ValueTask<string?> Refusal(IIncomingGrainCallContext context)
    {
        var method = context.InterfaceMethod;
        var type = method?.DeclaringType;
        if (method is null || type is null || type.Assembly != Contracts)
        {
            // Orleans' own system calls (manifests, observers) are not ours to police.
            return null;
        }

        var name = $"{(type.IsGenericType ? type.GetGenericTypeDefinition().Name : type.Name)}.{method.Name}";
        if (WebUserCalls.TryGet(name, context.Request, out var demand))
        {
            return await WebUserRefusal(context, name, demand);
        }

        if (!Allowed.Contains(name))
        {
            return $"{name} is reserved for the auth service; a proxy may not call it";
        }

        for (var i = 0; i < context.Request.GetArgumentCount(); i++)
        {
            if (context.Request.GetArgument(i) is Caller caller && caller.Roles.Any(r => SystemIdentities.Contains(r, StringComparer.OrdinalIgnoreCase)))
            {
                return $"a proxy may not act as {string.Join(",", caller.Roles)}";
            }
        }

        return null;
    }

    /// <summary>
    /// Null when the call names a usable web session whose user may make it; the call then goes on in the session's
    /// name and roles (what the proxy declared is replaced).
    /// </summary>
    private async Task<string?> WebUserRefusal(IIncomingGrainCallContext context, string name, WebUserCalls.Demand demand)
    {
        var index = 0;
        while (index < context.Request.GetArgumentCount() && context.Request.GetArgument(index) is not Caller)
        {
            index++;
        }

        if (index == context.Request.GetArgumentCount() || context.Request.GetArgument(index) is not Caller { WebSession: { } proof } caller)
        {
            return $"{name} is reserved for the auth service and signed-in web users; a proxy may not call it on its own";
        }

        var check = await grains.GetGrain<IWebSessionGrain>(proof.SessionId).Check(proof.BearerHash);
        if (check.Session is not { } session)
        {
            return $"{name} names a web session that is not usable ({check.Failure}); sign in again";
        }

        if (demand == WebUserCalls.Demand.OwnAccount)
        {
            if (!string.Equals(context.TargetId.Key.ToString(), session.User, StringComparison.Ordinal))
            {
                return $"{session.User} may change only their own account";
            }
        }
        else
        {
            var roles = await Task.WhenAll(session.Roles.Select(role => grains.GetGrain<IRoleGrain>(role).Get()));
            if (!new RoleSet([.. roles.OfType<Role>()], session.Traits).Allows(demand.Resource, demand.Verb))
            {
                return $"access denied to perform action \"{demand.Verb}\" on \"{demand.Resource}\"";
            }
        }

        context.Request.SetArgument(index, caller with { Name = session.User, Roles = session.Roles, WebSession = null });
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a grain call from proxy client {Client}: {Reason}")]
    private partial void LogRefused(string client, string reason);
}
