using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>Reads <c>proxy_service</c>.</summary>
internal static class ProxyServiceParser
{
    public static ProxyServiceConfig Read(MappingReader r)
    {
        var acme = r.Mapping("acme");
        var config = new ProxyServiceConfig
        {
            Enabled = r.Bool("enabled", true),
            ListenAddr = r.Address("listen_addr", new NetAddress("0.0.0.0", TeleportDefaults.ProxySshPort)),
            ListenAddrIsSet = r.IsSet("listen_addr"),
            WebListenAddr = r.Address("web_listen_addr", new NetAddress("0.0.0.0", TeleportDefaults.ProxyWebPort)),
            TunnelListenAddr = r.Address("tunnel_listen_addr", new NetAddress("0.0.0.0", TeleportDefaults.ProxyTunnelPort)),
            PeerListenAddr = r.OptionalAddress("peer_listen_addr", TeleportDefaults.ProxyPeerPort),
            PeerPublicAddr = r.OptionalAddress("peer_public_addr", TeleportDefaults.ProxyPeerPort),
            PublicAddrs = r.Addresses("public_addr", TeleportDefaults.ProxyWebPort),
            SshPublicAddrs = r.Addresses("ssh_public_addr", TeleportDefaults.ProxySshPort),
            TunnelPublicAddrs = r.Addresses("tunnel_public_addr", TeleportDefaults.ProxyTunnelPort),
            HttpsKeyPairs = ReadKeyPairs(r),
            HttpsKeyPairsReloadInterval = r.Duration("https_keypairs_reload_interval", TimeSpan.Zero),
            Acme = new AcmeConfig
            {
                Enabled = acme.Bool("enabled", false),
                Email = acme.String("email"),
                Uri = acme.String("uri"),
            },
            ProxyProtocol = ReadProxyProtocol(r),
            ShutdownGracePeriod = r.Duration("shutdown_grace_period", TimeSpan.FromSeconds(30)),
            DrainDelay = r.Duration("drain_delay", TimeSpan.FromSeconds(3)),
            WebIdleTimeout = r.Duration("web_idle_timeout", TimeSpan.Zero),
            SshMaxStartups = r.Int("ssh_max_startups", ProxyServiceConfig.DefaultSshMaxStartups, min: 1),
            SshMaxStartupsPerAddress = r.Int("ssh_max_startups_per_address", ProxyServiceConfig.DefaultSshMaxStartupsPerAddress, min: 1),
        };
        if (config.SshMaxStartupsPerAddress > config.SshMaxStartups)
        {
            r.Error(r.Value("ssh_max_startups_per_address"), "ssh_max_startups_per_address", $"cannot be more than ssh_max_startups ({config.SshMaxStartups})");
        }

        acme.CheckUnknownKeys();
        if (config.Acme.Enabled && config.HttpsKeyPairs.Count > 0)
        {
            // Two sources for the same certificate: Teleport refuses the combination, so do we.
            r.Error(r.Value("https_keypairs"), "https_keypairs", "cannot be used together with acme.enabled");
        }

        if (config.Acme.Enabled)
        {
            CheckAcmeNames(r, acme, config);
        }

        r.CheckUnknownKeys();
        return config;
    }

    /// <summary>ACME certificates are for the public_addr DNS names: Teleport refuses IP addresses, and so do we.</summary>
    private static void CheckAcmeNames(MappingReader r, MappingReader acme, ProxyServiceConfig config)
    {
        if (config.PublicAddrs.Count == 0)
        {
            acme.Error(acme.Value("enabled"), "enabled", "needs proxy_service.public_addr: the DNS names to get certificates for");
        }

        foreach (var address in config.PublicAddrs)
        {
            if (System.Net.IPAddress.TryParse(address.Host.Trim('[', ']'), out _))
            {
                r.Error(r.Value("public_addr"), "public_addr", $"{address.Host} is an IP address; acme.enabled needs DNS names (ACME servers issue no certificates for IP addresses)");
            }
        }

        if (config.Acme.Uri is { } uri && (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != "https"))
        {
            acme.Error(acme.Value("uri"), "uri", $"expected the https URL of an ACME directory, got '{uri}'");
        }
    }

    private static List<KeyPairConfig> ReadKeyPairs(MappingReader r)
    {
        var pairs = new List<KeyPairConfig>();
        foreach (var (node, path) in r.Items("https_keypairs"))
        {
            if (node is not YamlMappingNode)
            {
                r.Context.Error(node, $"{path}: expected a mapping with key_file and cert_file, got {ScalarText.Describe(node)}");
                continue;
            }

            var item = MappingReader.Create(r.Context, node, path);
            var keyFile = item.String("key_file");
            var certFile = item.String("cert_file");
            if (keyFile is null)
            {
                item.Error(node, "key_file", "is required");
            }

            if (certFile is null)
            {
                item.Error(node, "cert_file", "is required");
            }

            item.CheckUnknownKeys();
            if (keyFile is not null && certFile is not null)
            {
                pairs.Add(new KeyPairConfig { KeyFile = keyFile, CertFile = certFile });
            }
        }

        return pairs;
    }

    private static bool? ReadProxyProtocol(MappingReader r)
    {
        var text = r.String("proxy_protocol");
        if (text is null)
        {
            return null;
        }

        if (ScalarText.TryBool(text, out var value))
        {
            return value;
        }

        r.Error(r.Value("proxy_protocol"), "proxy_protocol", $"expected on or off, got '{text}'");
        return null;
    }
}
