using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes <c>kind: user</c>. Secrets (password hash, OTP) are never part of the document.</summary>
internal static class UserCodec
{
    private static readonly string[] s_statusKeys = ["is_locked", "locked_message", "locked_time", "lock_expires", "recovery_attempt_lock_expires"];

    public static UserDocument Read(YamlNode node)
    {
        var root = YamlMap.Open(node, "", "kind", "version", "metadata", "spec");
        ResourceHeader.CheckVersion(root, ResourceKinds.User, "v2");
        var metadata = ResourceHeader.Metadata(root, "name");
        var name = metadata.RequiredString("name");
        ResourceHeader.Check(metadata.Required("name"), UserNameError(name));

        var spec = root.Map("spec", "roles", "traits", "created_by", "status");
        var roles = spec?.StringList("roles") ?? [];
        foreach (var (role, at) in roles)
        {
            ResourceHeader.Check(at, RoleValidator.NameError(role, spec!.PathOf("roles")));
        }

        var createdBy = spec?.Map("created_by", "time", "user", "connector");
        var creator = createdBy?.Map("user", "name");

        // Lock state belongs to the auth service; status is written for people to read and ignored on the way back in.
        _ = spec?.Map("status", s_statusKeys);

        return new UserDocument(new User
        {
            Name = name,
            Roles = [.. roles.Select(r => r.Value)],
            Traits = ReadTraits(spec),
            CreatedAt = createdBy is null ? default : ReadTime(createdBy, "time") ?? default,
            CreatedBy = creator?.String("name") ?? "",
        });
    }

    public static JsonObject Write(User user)
    {
        var spec = new JsonObject { ["roles"] = ResourceHeader.List(user.Roles) };
        var traits = new JsonObject();
        foreach (var (key, values) in user.Traits)
        {
            traits[key] = ResourceHeader.List(values);
        }

        spec["traits"] = traits;
        if (user.CreatedAt != default || user.CreatedBy.Length > 0)
        {
            var createdBy = new JsonObject();
            if (user.CreatedAt != default)
            {
                createdBy["time"] = Rfc3339.Format(user.CreatedAt);
            }

            createdBy["user"] = new JsonObject { ["name"] = user.CreatedBy };
            spec["created_by"] = createdBy;
        }

        if (user.LockedUntil is { } lockedUntil)
        {
            spec["status"] = new JsonObject
            {
                ["is_locked"] = true,
                ["locked_message"] = user.LockReason,
                ["lock_expires"] = Rfc3339.Format(lockedUntil),
            };
        }

        return ResourceHeader.Write(ResourceKinds.User, "v2", new JsonObject { ["name"] = user.Name }, spec);
    }

    internal static DateTimeOffset? ReadTime(YamlMap map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }

        return Rfc3339.TryParse(text, out var time)
            ? time
            : throw ResourceFormatException.At(map.Required(key), $"{map.PathOf(key)} must be an RFC 3339 time such as 2025-01-31T12:00:00Z, not '{text}'");
    }

    private static Dictionary<string, string[]> ReadTraits(YamlMap? spec)
    {
        var traits = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (spec?.Get("traits") is not { } node)
        {
            return traits;
        }

        var path = spec.PathOf("traits");
        foreach (var (key, _, value) in YamlMap.Entries(node, path))
        {
            traits[key] = YamlMap.IsNull(value) ? [] : [.. YamlMap.ReadStringList(value, $"{path}.{key}", allowSingle: false).Select(v => v.Value)];
        }

        return traits;
    }

    private static string? UserNameError(string name) =>
        name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/')
            ? null
            : $"invalid user name '{name}' in metadata.name: it must be non-empty, without spaces or '/'";
}
