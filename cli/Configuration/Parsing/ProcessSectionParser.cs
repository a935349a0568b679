using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>Reads the <c>teleport:</c> section.</summary>
internal static class ProcessSectionParser
{
    public static TeleportProcessConfig Read(MappingReader r)
    {
        var dataDir = r.String("data_dir", TeleportDefaults.DataDir);
        var join = ReadJoinParams(r.Mapping("join_params"));
        var authToken = r.String("auth_token");
        if (authToken is not null && join.TokenName is not null)
        {
            r.Error(r.Value("auth_token"), "auth_token", "set either auth_token or join_params, not both");
        }

        var authServer = r.OptionalAddress("auth_server", TeleportDefaults.AuthPort);
        var authServers = r.Addresses("auth_servers", TeleportDefaults.AuthPort);
        var proxyServer = r.OptionalAddress("proxy_server", TeleportDefaults.ProxyWebPort);
        var upstreams = new[] { "auth_server", "auth_servers", "proxy_server" }.Where(r.IsSet).ToList();
        if (upstreams.Count > 1)
        {
            // Teleport v3 refuses this too: the instance would not know which path to join through.
            r.Error(r.Value(upstreams[1]), upstreams[1], $"set only one of auth_server, auth_servers and proxy_server (found {string.Join(" and ", upstreams)})");
        }

        var advertiseIp = r.String("advertise_ip");
        if (advertiseIp is not null && !NetAddress.TryParseCore(advertiseIp, 0, out _, out var advertiseError))
        {
            r.Error(r.Value("advertise_ip"), "advertise_ip", $"expected an IP address or host, got '{advertiseIp}': {advertiseError}");
        }

        var config = new TeleportProcessConfig
        {
            NodeName = r.String("nodename", TeleportDefaults.HostName),
            DataDir = dataDir,
            PidFile = r.String("pid_file"),
            Log = ReadLog(r.Mapping("log")),
            Storage = StorageSectionParser.Read(r.Mapping("storage"), dataDir),
            AuthToken = authToken,
            JoinParams = join,
            AuthServer = authServer,
            AuthServers = authServers,
            ProxyServer = proxyServer,
            CaPins = r.Strings("ca_pin"),
            AdvertiseIp = advertiseIp,
            DiagAddr = r.OptionalAddress("diag_addr", defaultPort: null),
            ConnectionLimits = ReadConnectionLimits(r.Mapping("connection_limits")),
            Cache = ReadCache(r.Mapping("cache")),
        };
        r.CheckUnknownKeys();
        return config;
    }

    private static LogConfig ReadLog(MappingReader r)
    {
        var format = r.Mapping("format");
        var config = new LogConfig
        {
            Output = r.String("output", LogConfig.Stderr),
            Severity = r.Enum("severity", KnownNames.Severity, LogSeverity.Info),
            Format = new LogFormatConfig
            {
                Output = format.Enum("output", KnownNames.LogFormat, LogOutputFormat.Text),
                ExtraFields = format.Strings("extra_fields"),
            },
        };
        format.CheckUnknownKeys();
        r.CheckUnknownKeys();
        return config;
    }

    private static JoinParamsConfig ReadJoinParams(MappingReader r)
    {
        var config = new JoinParamsConfig
        {
            TokenName = r.String("token_name"),
            Method = r.Choice("method", KnownNames.JoinMethods, "token"),
        };
        if (r.Node is YamlMappingNode && config.TokenName is null)
        {
            r.Error(r.Node, "token_name", "is required when join_params is set");
        }

        r.CheckUnknownKeys();
        return config;
    }

    private static ConnectionLimitsConfig ReadConnectionLimits(MappingReader r)
    {
        var config = new ConnectionLimitsConfig
        {
            MaxConnections = r.Int("max_connections", TeleportDefaults.MaxConnections, min: 1),
            MaxUsers = r.Int("max_users", TeleportDefaults.MaxUsers, min: 1),
            Rates = [.. r.Items("rates").Select(item => ReadRate(MappingReader.Create(r.Context, item.Node, item.Path)))],
        };
        r.CheckUnknownKeys();
        return config;
    }

    private static ConnectionRateConfig ReadRate(MappingReader r)
    {
        var rate = new ConnectionRateConfig(
            r.Duration("period", TimeSpan.FromMinutes(1)),
            r.Int("average", 20, min: 1),
            r.Int("burst", 40, min: 1));
        if (rate.Period <= TimeSpan.Zero)
        {
            r.Error(r.Value("period"), "period", "must be longer than zero");
        }

        r.CheckUnknownKeys();
        return rate;
    }

    private static CacheConfig ReadCache(MappingReader r)
    {
        var config = new CacheConfig
        {
            Enabled = r.Bool("enabled", true),
            Type = r.Choice("type", KnownNames.CacheTypes, CacheConfig.InMemory),
            MaxBackoff = r.Duration("max_backoff", TeleportDefaults.CacheMaxBackoff),
        };
        r.CheckUnknownKeys();
        return config;
    }
}
