using System.Text.Json;
using Teleport.Orleans.Ssh.Certificates;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>The Teleport user behind a verified user certificate: name (key id), roles and traits from its extensions.</summary>
internal sealed record ProxyUser(string Name, string[] Roles, Dictionary<string, string[]> Traits, string ClientAddress)
{
    /// <summary>
    /// The client logged in to the proxy as Teleport's join login (<see cref="Access.Sessions.SessionJoin.Principal"/>): it may reach nodes its logins do not,
    /// because the node that holds the session decides the join from the user's join_sessions policies.
    /// </summary>
    public bool JoiningSession { get; init; }

    public static ProxyUser FromCertificate(SshCertificate certificate, string clientAddress)
    {
        var roles = certificate.Extensions.TryGetValue("teleport-roles", out var rolesJson) && rolesJson.Length > 0
            ? JsonSerializer.Deserialize<RolesExtension>(rolesJson)?.Roles ?? []
            : [];
        var traits = certificate.Extensions.TryGetValue("teleport-traits", out var traitsJson) && traitsJson.Length > 0
            ? JsonSerializer.Deserialize<Dictionary<string, string[]>>(traitsJson) ?? []
            : [];
        return new ProxyUser(certificate.KeyId, roles, traits, clientAddress);
    }

    private sealed record RolesExtension([property: System.Text.Json.Serialization.JsonPropertyName("roles")] string[]? Roles);
}
