using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes <c>kind: lock</c>, version v2, in Teleport's shape (spec.target.user/login/node, message, expires).</summary>
internal static class LockCodec
{
    public static LockDocument Read(YamlNode node)
    {
        var root = YamlMap.Open(node, "", "kind", "version", "metadata", "spec");
        ResourceHeader.CheckVersion(root, ResourceKinds.Lock, "v2");
        var metadata = ResourceHeader.Metadata(root, "name", "labels", "expires", "description");
        var name = metadata.RequiredString("name");
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            throw ResourceFormatException.At(metadata.Required("name"), "metadata.name must be a non-empty name without spaces or '/'");
        }

        var spec = YamlMap.Open(root.Required("spec"), "spec", "target", "message", "expires", "created_at", "created_by");
        var targetMap = YamlMap.Open(spec.Required("target"), "spec.target", "user", "login", "node", "server_id", "role");
        if (targetMap.String("role") is not null)
        {
            throw ResourceFormatException.At(targetMap.Required("role"), "spec.target.role is not supported yet (supported: user, login, node)");
        }

        var target = new LockTarget
        {
            User = targetMap.String("user") ?? "",
            Login = targetMap.String("login") ?? "",
            Node = targetMap.String("node") ?? targetMap.String("server_id") ?? "",
        };
        if (target.IsEmpty)
        {
            throw ResourceFormatException.At(spec.Required("target"), "spec.target must set at least one of user, login or node");
        }

        return new LockDocument(new AccessLock
        {
            Name = name,
            Target = target,
            Message = spec.String("message") ?? "",
            Expires = UserCodec.ReadTime(spec, "expires") ?? UserCodec.ReadTime(metadata, "expires"),
            CreatedAt = UserCodec.ReadTime(spec, "created_at") ?? default,
            CreatedBy = spec.String("created_by") ?? "",
        });
    }

    public static JsonObject Write(AccessLock lockResource)
    {
        var target = new JsonObject();
        ResourceHeader.SetIfPresent(target, "user", NonEmpty(lockResource.Target.User));
        ResourceHeader.SetIfPresent(target, "login", NonEmpty(lockResource.Target.Login));
        ResourceHeader.SetIfPresent(target, "node", NonEmpty(lockResource.Target.Node));
        var spec = new JsonObject { ["target"] = target };
        ResourceHeader.SetIfPresent(spec, "message", NonEmpty(lockResource.Message));
        if (lockResource.Expires is { } expires)
        {
            spec["expires"] = Rfc3339.Format(expires);
        }

        if (lockResource.CreatedAt != default)
        {
            spec["created_at"] = Rfc3339.Format(lockResource.CreatedAt);
        }

        ResourceHeader.SetIfPresent(spec, "created_by", NonEmpty(lockResource.CreatedBy));
        return ResourceHeader.Write(ResourceKinds.Lock, "v2", new JsonObject { ["name"] = lockResource.Name }, spec);
    }

    private static JsonNode? NonEmpty(string value) => value.Length > 0 ? JsonValue.Create(value) : null;
}
