using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Ssh.Keys;
using Lock = Teleport.Orleans.Contracts.Api.Lock;

namespace Teleport.Orleans.Agent.Access;

/// <summary>One access policy parsed once for many logins: roles by name, locks, trusted user CA keys.</summary>
internal sealed class AccessPolicySnapshot
{
    private AccessPolicySnapshot(IReadOnlyDictionary<string, Role> roles, IReadOnlyList<Lock> locks, IReadOnlyList<SshPublicKey> userCaKeys)
    {
        Roles = roles;
        Locks = locks;
        UserCaKeys = userCaKeys;
    }

    public static AccessPolicySnapshot Empty { get; } = new(new Dictionary<string, Role>(), [], []);

    public IReadOnlyDictionary<string, Role> Roles { get; }

    public IReadOnlyList<Lock> Locks { get; }

    public IReadOnlyList<SshPublicKey> UserCaKeys { get; }

    /// <summary>Reads the policy; a role or key that is not valid is skipped (it can grant nothing) and reported.</summary>
    public static AccessPolicySnapshot From(AccessPolicy policy, Action<string> reportInvalid)
    {
        var roles = new Dictionary<string, Role>(StringComparer.Ordinal);
        foreach (var message in policy.Roles)
        {
            if (message.Name.Length == 0)
            {
                reportInvalid("role: a role without a name");
                continue;
            }

            roles[message.Name] = RoleMessages.FromMessage(message);
        }

        var keys = new List<SshPublicKey>();
        foreach (var line in policy.UserCaKeys)
        {
            if (ParseCaKey(line) is { } key)
            {
                keys.Add(key);
            }
            else
            {
                reportInvalid($"user CA key: {line}");
            }
        }

        return new AccessPolicySnapshot(roles, [.. policy.Locks], keys);
    }

    /// <summary>Reads "ssh-ed25519 AAAA..." with or without a "cert-authority" prefix and trailing comment.</summary>
    public static SshPublicKey? ParseCaKey(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = fields.Length > 0 && fields[0] is "cert-authority" or "@cert-authority" ? 1 : 0;
        if (fields.Length < start + 2)
        {
            return null;
        }

        try
        {
            return SshPublicKey.Parse($"{fields[start]} {fields[start + 1]}");
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
