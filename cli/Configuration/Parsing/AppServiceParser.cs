using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>Reads <c>app_service</c>: each app's name must be a DNS label, its uri an absolute http(s) URI.</summary>
internal static class AppServiceParser
{
    public static AppServiceConfig Read(MappingReader r)
    {
        var config = new AppServiceConfig
        {
            Enabled = r.Bool("enabled", false),
            Apps = ReadApps(r),
        };
        r.CheckUnknownKeys();
        return config;
    }

    private static List<AppConfig> ReadApps(MappingReader r)
    {
        var apps = new List<AppConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, path) in r.Items("apps"))
        {
            if (node is not YamlMappingNode)
            {
                r.Context.Error(node, $"{path}: expected a mapping with name and uri, got {ScalarText.Describe(node)}");
                continue;
            }

            var item = MappingReader.Create(r.Context, node, path);
            var name = item.String("name");
            var uriText = item.String("uri");
            var rewrite = item.Mapping("rewrite");
            var headers = rewrite.Strings("headers");
            var publicAddr = item.String("public_addr", "");
            Uri? uri = null;
            if (name is null)
            {
                item.Error(node, "name", "is required (a DNS label such as grafana)");
            }
            else if (!IsDnsLabel(name))
            {
                item.Error(item.Value("name"), "name", $"\"{name}\" is not a DNS label: use lower-case letters, digits and '-' (at most 63, not starting or ending with '-'), as it becomes the app's subdomain");
            }
            else if (!names.Add(name))
            {
                item.Error(item.Value("name"), "name", $"\"{name}\" is used by another app; names must be unique");
            }

            if (uriText is null)
            {
                item.Error(node, "uri", "is required (e.g. http://localhost:3000)");
            }
            else if (!Uri.TryCreate(uriText, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                item.Error(item.Value("uri"), "uri", $"\"{uriText}\" is not an absolute http or https URI (e.g. http://localhost:3000)");
                uri = null;
            }

            if (publicAddr.Contains("://", StringComparison.Ordinal) || publicAddr.Contains('/', StringComparison.Ordinal))
            {
                item.Error(item.Value("public_addr"), "public_addr", $"\"{publicAddr}\" must be a host name (e.g. grafana.example.com), not a URL");
            }

            foreach (var header in headers)
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || header[..colon].Trim().Length == 0 || header[..colon].Any(char.IsWhiteSpace))
                {
                    rewrite.Error(rewrite.Value("headers"), "headers", $"\"{header}\" is not \"Name: value\"");
                }
            }

            var config = new AppConfig
            {
                Name = name ?? "",
                Description = item.String("description", ""),
                Uri = uri ?? new Uri("http://invalid"),
                PublicAddr = publicAddr,
                Labels = item.StringMap("labels"),
                InsecureSkipVerify = item.Bool("insecure_skip_verify", false),
                RewriteRedirect = rewrite.Strings("redirect"),
                RewriteHeaders = headers,
            };
            rewrite.CheckUnknownKeys();
            item.CheckUnknownKeys();
            if (name is not null && uri is not null)
            {
                apps.Add(config);
            }
        }

        return apps;
    }

    internal static bool IsDnsLabel(string name) =>
        name.Length is > 0 and <= 63
        && name[0] != '-' && name[^1] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
