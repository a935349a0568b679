using Grpc.Core;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// Decides each API call at the boundary: the admin identity may do anything; a user may do what the rules of
/// their roles allow; hosts may do only what their system role needs. Default deny.
/// </summary>
internal sealed class ApiAuthorizer(IGrainFactory grains)
{
    /// <summary>Returns the caller if it may apply <paramref name="verb"/> to <paramref name="resource"/>.</summary>
    public async Task<Caller> Authorize(ServerCallContext context, string resource, params string[] verbs)
    {
        var identity = RequireAuthenticated(context);
        if (identity.IsAdmin)
        {
            return identity.ToCaller();
        }

        if (identity.Certificate!.SystemRoles.Length > 0)
        {
            throw AuthException.AccessDenied($"{identity.Certificate.SystemRoles[0]} identities may not {verbs[0]} {resource}");
        }

        var roles = await UserRoles(identity);
        foreach (var verb in verbs)
        {
            if (!roles.Allows(resource, verb))
            {
                throw AuthException.AccessDenied($"access denied to perform action \"{verb}\" on \"{resource}\"");
            }
        }

        return identity.ToCaller();
    }

    /// <summary>Admits the admin identity or a host holding one of <paramref name="systemRoles"/>.</summary>
    public Caller AuthorizeSystem(ServerCallContext context, params string[] systemRoles)
    {
        var identity = RequireAuthenticated(context);
        if (identity.IsAdmin || systemRoles.Any(identity.HasSystemRole))
        {
            return identity.ToCaller();
        }

        throw AuthException.AccessDenied($"this call is reserved for {string.Join(" and ", systemRoles)} services");
    }

    /// <summary>
    /// Admits a host holding one of <paramref name="systemRoles"/> (or the admin identity) and returns its host id, read
    /// from the certificate (<c>uuid.cluster</c>), so that a host can only act for itself.
    /// </summary>
    public HostCaller AuthorizeHost(ServerCallContext context, params string[] systemRoles)
    {
        var caller = AuthorizeSystem(context, systemRoles);
        var identity = ApiIdentity.From(context);
        var certificate = identity.Certificate!;
        var suffix = "." + certificate.ClusterName;
        var hostId = certificate.ClusterName.Length > 0 && certificate.Name.EndsWith(suffix, StringComparison.Ordinal)
            ? certificate.Name[..^suffix.Length]
            : certificate.Name;
        return new HostCaller(caller, hostId, identity.IsAdmin);
    }

    /// <summary>
    /// Like <see cref="Authorize"/>, but the admin identity and hosts with one of <paramref name="systemRoles"/> pass
    /// without role rules (a gateway reading recordings for the web player).
    /// </summary>
    public async Task<Caller> AuthorizeUserOrSystem(ServerCallContext context, string resource, string verb, params string[] systemRoles)
    {
        var identity = RequireAuthenticated(context);
        return identity.IsAdmin || systemRoles.Any(identity.HasSystemRole)
            ? identity.ToCaller()
            : await Authorize(context, resource, verb);
    }

    /// <summary>
    /// Which nodes the caller may see: null for the admin identity and the listed system roles (everything); for a
    /// user, the role set whose node_labels decide (Teleport shows a user only the nodes some login reaches).
    /// </summary>
    public async Task<RoleSet?> NodeVisibility(ServerCallContext context, params string[] systemRoles)
    {
        var identity = RequireAuthenticated(context);
        if (identity.IsAdmin || systemRoles.Any(identity.HasSystemRole))
        {
            return null;
        }

        if (identity.Certificate!.SystemRoles.Length > 0)
        {
            throw AuthException.AccessDenied($"{identity.Certificate.SystemRoles[0]} identities may not list nodes");
        }

        return await UserRoles(identity);
    }

    public ApiIdentity RequireAuthenticated(ServerCallContext context)
    {
        var identity = ApiIdentity.From(context);
        return identity.IsAuthenticated
            ? identity
            : throw AuthException.AccessDenied("this call needs a client certificate from the cluster's CA: use `tctl -i IDENTITY` or run tctl on the auth host with --config");
    }

    private async Task<RoleSet> UserRoles(ApiIdentity identity)
    {
        var certificate = identity.Certificate!;
        var user = await grains.GetGrain<IUserGrain>(certificate.Name).Get()
            ?? throw AuthException.AccessDenied($"user \"{certificate.Name}\" no longer exists");
        // Roles come from the certificate, as Teleport does; a role deleted since then no longer grants anything.
        var roles = await Task.WhenAll(certificate.Roles.Select(name => grains.GetGrain<IRoleGrain>(name).Get()));
        return new RoleSet([.. roles.OfType<Role>()], user.Traits);
    }
}
