using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>Maps the root of a teleport.yaml document onto <see cref="TeleportConfig"/>.</summary>
internal static class TeleportConfigParser
{
    public static TeleportConfig Read(ParseContext context, YamlNode root)
    {
        if (root is not YamlMappingNode)
        {
            throw context.Fatal(root, $"expected a mapping of sections (version, teleport, auth_service, ...) at the top level, got {ScalarText.Describe(root)}");
        }

        var r = MappingReader.Create(context, root, "");
        CheckVersion(context, r, root);
        var process = ProcessSectionParser.Read(r.Mapping("teleport"));
        var config = new TeleportConfig
        {
            Version = TeleportConfig.SupportedVersion,
            Teleport = process,
            AuthService = AuthServiceParser.Read(r.Mapping("auth_service"), process),
            ProxyService = ProxyServiceParser.Read(r.Mapping("proxy_service")),
            SshService = SshServiceParser.Read(r.Mapping("ssh_service")),
            AppService = AppServiceParser.Read(r.Mapping("app_service")),
        };
        r.CheckUnknownKeys(key => KnownNames.UnsupportedSections.Contains(key)
            ? $"section '{key}' is a Teleport service that Teleport.Orleans does not implement (supported: teleport, auth_service, proxy_service, ssh_service, app_service)"
            : null);
        return config;
    }

    // v1/v2 files differ in defaults and keys (auth_servers, TLS routing); reading them as v3 would
    // silently change behaviour, so anything but v3 stops here with one clear message.
    private static void CheckVersion(ParseContext context, MappingReader r, YamlNode root)
    {
        var node = r.Value("version");
        if (node is null || ScalarText.IsNull(node))
        {
            throw context.Fatal(node ?? root, $"version: missing; add 'version: {TeleportConfig.SupportedVersion}' at the top (Teleport.Orleans reads only config version {TeleportConfig.SupportedVersion})");
        }

        if (node is not YamlScalarNode { Value: { } version })
        {
            throw context.Fatal(node, $"version: expected '{TeleportConfig.SupportedVersion}', got {ScalarText.Describe(node)}");
        }

        if (version != TeleportConfig.SupportedVersion)
        {
            throw context.Fatal(node, $"version: unsupported configuration version '{version}'; Teleport.Orleans reads only '{TeleportConfig.SupportedVersion}' (convert the file to v3 as described in Teleport's configuration reference)");
        }
    }
}
