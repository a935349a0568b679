using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>
/// Reads <c>teleport.storage</c>. Backends take keys of their own, so unknown keys are kept in
/// <see cref="StorageConfig.Extra"/> rather than refused; only near-misses of the typed keys are errors.
/// </summary>
internal static class StorageSectionParser
{
    public static StorageConfig Read(MappingReader r, string dataDir)
    {
        var type = r.Enum("type", KnownNames.StorageTypes, StorageType.Sqlite);
        var path = r.String("path");
        var config = new StorageConfig
        {
            Type = type,
            Path = path ?? (type == StorageType.Sqlite ? System.IO.Path.Combine(dataDir, TeleportDefaults.BackendDir) : null),
            ConnString = r.String("conn_string"),
            Region = r.String("region"),
            TableName = r.String("table_name"),
            Endpoint = r.String("endpoint"),
            Peers = r.Strings("peers"),
            Prefix = r.String("prefix"),
            AuditEventsUri = r.Strings("audit_events_uri"),
            AuditSessionsUri = r.String("audit_sessions_uri"),
            Extra = ReadExtra(r),
        };
        return config;
    }

    private static Dictionary<string, object?> ReadExtra(MappingReader r)
    {
        var typed = new[]
        {
            "type", "path", "conn_string", "region", "table_name", "endpoint", "peers", "prefix", "audit_events_uri",
            "audit_sessions_uri",
        };
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, keyNode, value) in r.UnreadEntries())
        {
            if (ScalarText.Suggest(key, typed) is { } suggestion)
            {
                // "conn_sting" would otherwise pass silently to the backend as an extra setting.
                r.Context.Error(keyNode, $"unknown key '{key}' in {r.Path} (did you mean '{suggestion}'?)");
                continue;
            }

            extra[key] = ToPlain(value);
        }

        return extra;
    }

    private static object? ToPlain(YamlNode node) => node switch
    {
        _ when ScalarText.IsNull(node) => null,
        YamlScalarNode scalar => scalar.Value,
        YamlSequenceNode sequence => sequence.Children.Select(ToPlain).ToList(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            e => e.Key is YamlScalarNode k ? k.Value ?? "" : e.Key.ToString(),
            e => ToPlain(e.Value)),
        _ => null,
    };
}
