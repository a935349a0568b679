using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Reads and writes <c>kind: cluster_auth_preference</c>: local users with an optional TOTP second factor.</summary>
internal static class AuthPreferenceCodec
{
    public static AuthPreferenceDocument Read(YamlNode node)
    {
        var root = YamlMap.Open(node, "", "kind", "version", "metadata", "spec");
        ResourceHeader.CheckVersion(root, ResourceKinds.AuthPreference, "v2");
        var metadata = ResourceHeader.Metadata(root, "name");
        var name = metadata.RequiredString("name");
        if (name != ResourceKinds.AuthPreferenceName)
        {
            throw ResourceFormatException.At(metadata.Required("name"), $"metadata.name must be '{ResourceKinds.AuthPreferenceName}', not '{name}'");
        }

        var spec = root.Map("spec", "type", "second_factor");
        var type = spec?.String("type") ?? "local";
        if (type != "local")
        {
            throw ResourceFormatException.At(spec!.Required("type"), $"unsupported type '{type}' in spec.type (supported: local)");
        }

        var secondFactor = (spec?.String("second_factor") ?? "otp") switch
        {
            "otp" => SecondFactor.Otp,
            "off" => SecondFactor.Off,
            var other => throw ResourceFormatException.At(spec!.Required("second_factor"),
                $"unsupported second_factor '{other}' in spec.second_factor (supported: otp, off)"),
        };

        return new AuthPreferenceDocument(new AuthPreference { Type = type, SecondFactor = secondFactor });
    }

    public static JsonObject Write(AuthPreference preference)
    {
        var spec = new JsonObject
        {
            ["type"] = preference.Type,
            ["second_factor"] = preference.SecondFactor switch
            {
                SecondFactor.Otp => "otp",
                SecondFactor.Off => "off",
                var other => throw new ArgumentOutOfRangeException(nameof(preference), other, "unknown second factor"),
            },
        };
        return ResourceHeader.Write(ResourceKinds.AuthPreference, "v2", new JsonObject { ["name"] = ResourceKinds.AuthPreferenceName }, spec);
    }
}
