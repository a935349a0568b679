namespace Teleport.Orleans.Configuration;

/// <summary>Reads <c>auth_service</c>.</summary>
internal static class AuthServiceParser
{
    public static AuthServiceConfig Read(MappingReader r, TeleportProcessConfig process)
    {
        var licenseFile = r.String("license_file");
        var config = new AuthServiceConfig
        {
            Enabled = r.Bool("enabled", true),
            ListenAddr = r.Address("listen_addr", new NetAddress("0.0.0.0", TeleportDefaults.AuthPort)),
            PublicAddrs = r.Addresses("public_addr", TeleportDefaults.AuthPort),
            ClusterName = r.String("cluster_name", process.NodeName),
            ProxyListenerMode = r.Enum("proxy_listener_mode", KnownNames.ListenerMode, ProxyListenerMode.Multiplex),

            // As in Teleport, a relative license path is relative to data_dir.
            LicenseFile = licenseFile is null || Path.IsPathRooted(licenseFile) ? licenseFile : Path.Combine(process.DataDir, licenseFile),
            Authentication = ReadAuthentication(r.Mapping("authentication")),
            Tokens = ReadTokens(r),
            SessionRecording = r.Enum("session_recording", KnownNames.SessionRecording, SessionRecordingMode.Node),
            MessageOfTheDay = r.String("message_of_the_day"),
            RoutingStrategy = r.Enum("routing_strategy", KnownNames.Routing, RoutingStrategy.UnambiguousMatch),
            FailureDetection = ReadFailureDetection(r.Mapping("failure_detection")),
        };
        r.CheckUnknownKeys();
        return config;
    }

    private static FailureDetectionConfig ReadFailureDetection(MappingReader r)
    {
        var defaults = new FailureDetectionConfig();
        var config = new FailureDetectionConfig
        {
            ProbeTimeout = r.Duration("probe_timeout", defaults.ProbeTimeout),
            MissedProbes = r.Int("missed_probes", defaults.MissedProbes, min: 1, max: 100),
            ConnectionLiveness = r.Bool("connection_liveness", defaults.ConnectionLiveness),
        };
        if (config.ProbeTimeout <= TimeSpan.Zero)
        {
            r.Error(r.Value("probe_timeout"), "probe_timeout", "must be longer than zero");
        }

        r.CheckUnknownKeys();
        return config;
    }

    private static AuthenticationConfig ReadAuthentication(MappingReader r)
    {
        if (r.IsSet("second_factor") && r.IsSet("second_factors"))
        {
            r.Error(r.Value("second_factors"), "second_factors", "set either second_factor or second_factors, not both");
        }

        var webauthn = r.Mapping("webauthn");
        var config = new AuthenticationConfig
        {
            // Only a file that says something about second factors overrides the cluster's stored preference.
            IsSet = r.IsSet("second_factor") || r.IsSet("second_factors") || r.IsSet("type"),
            Type = r.Choice("type", KnownNames.AuthenticationTypes, "local"),
            SecondFactor = r.Enum("second_factor", KnownNames.SecondFactor, SecondFactorMode.Otp),
            SecondFactors = r.EnumList("second_factors", KnownNames.SecondFactorTypes),
            ConnectorName = r.String("connector_name"),
            Webauthn = new WebauthnConfig { RpId = webauthn.String("rp_id") },
        };
        webauthn.CheckUnknownKeys();
        r.CheckUnknownKeys();
        return config;
    }

    private static List<StaticToken> ReadTokens(MappingReader r)
    {
        var tokens = new List<StaticToken>();
        var items = r.Items("tokens");
        for (var i = 0; i < items.Count; i++)
        {
            var (node, path) = items[i];
            if (node is not YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } text })
            {
                r.Context.Error(node, $"{path}: expected \"roles:token\", got {ScalarText.Describe(node)}");
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == text.Length - 1 || text.IndexOf(':', colon + 1) >= 0)
            {
                r.Context.Error(node, $"{path}: expected \"roles:token\" (e.g. \"node:abc123\"), got '{text}'");
                continue;
            }

            var roles = text[..colon].Split(',', StringSplitOptions.TrimEntries).Select(role => role.ToLowerInvariant()).ToList();
            var unknown = roles.FirstOrDefault(role => !KnownNames.TokenRoles.Contains(role));
            if (unknown is not null)
            {
                r.Context.Error(node, $"{path}: unknown role '{unknown}' (expected {string.Join('|', KnownNames.TokenRoles)})");
                continue;
            }

            tokens.Add(new StaticToken { Roles = roles, Token = text[(colon + 1)..] });
        }

        return tokens;
    }
}
