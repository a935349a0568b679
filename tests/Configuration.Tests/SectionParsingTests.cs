namespace Teleport.Orleans.Configuration.Tests;

public sealed class SectionParsingTests
{
    [Fact]
    public void Process_section_values_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              nodename: node-7
              data_dir: /srv/teleport
              pid_file: /run/teleport.pid
              log:
                output: /var/log/teleport.log
                severity: warning
                format:
                  output: json
                  extra_fields: [level, timestamp]
              proxy_server: teleport.example.com:443
              join_params:
                token_name: abc123
                method: iam
              ca_pin:
                - sha256:aaaa
                - sha256:bbbb
              advertise_ip: 10.1.0.5
              diag_addr: "[::1]:3000"
              connection_limits:
                max_connections: 65000
                max_users: 1000
              cache:
                enabled: false
                max_backoff: 12m
            """);
        var p = config.Teleport;

        Assert.Equal("node-7", p.NodeName);
        Assert.Equal("/srv/teleport", p.DataDir);
        Assert.Equal("/run/teleport.pid", p.PidFile);
        Assert.Equal("/var/log/teleport.log", p.Log.FilePath);
        Assert.Equal(LogSeverity.Warn, p.Log.Severity);
        Assert.Equal(LogOutputFormat.Json, p.Log.Format.Output);
        Assert.Equal(["level", "timestamp"], p.Log.Format.ExtraFields);
        Assert.Equal(new NetAddress("teleport.example.com", 443), p.ProxyServer);
        Assert.Equal("abc123", p.JoinParams.TokenName);
        Assert.Equal("iam", p.JoinParams.Method);
        Assert.Equal(["sha256:aaaa", "sha256:bbbb"], p.CaPins);
        Assert.Equal("10.1.0.5", p.AdvertiseIp);
        Assert.Equal(new NetAddress("::1", 3000), p.DiagAddr);
        Assert.Equal(65000, p.ConnectionLimits.MaxConnections);
        Assert.Equal(1000, p.ConnectionLimits.MaxUsers);
        Assert.False(p.Cache.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(12), p.Cache.MaxBackoff);
    }

    [Fact]
    public void Peer_addresses_are_read_with_port_3021_by_default_and_unset_when_absent()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            proxy_service:
              peer_listen_addr: 0.0.0.0
              peer_public_addr: 10.0.0.5
            """);
        var unset = TeleportConfigLoader.Parse("version: v3\n");

        Assert.Equal(new NetAddress("0.0.0.0", 3021), config.ProxyService.PeerListenAddr);
        Assert.Equal(new NetAddress("10.0.0.5", 3021), config.ProxyService.PeerPublicAddr);
        Assert.Null(unset.ProxyService.PeerListenAddr);
    }

    [Fact]
    public void Ca_pin_may_be_a_single_string()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              auth_token: /var/lib/teleport/token
              auth_servers: [auth-1:3025, auth-2]
              ca_pin: sha256:cccc
            """);

        Assert.Equal(["sha256:cccc"], config.Teleport.CaPins);
        Assert.Equal("/var/lib/teleport/token", config.Teleport.AuthToken);
        Assert.Equal([new NetAddress("auth-1", 3025), new NetAddress("auth-2", 3025)], config.Teleport.AuthServers);
    }

    [Fact]
    public void Storage_keeps_typed_keys_and_passes_the_rest_through()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              storage:
                type: dynamodb
                region: eu-west-1
                table_name: teleport-backend
                endpoint: http://localhost:8000
                audit_events_uri: dynamodb://teleport-events
                audit_sessions_uri: s3://recordings/records
                billing_mode: pay_per_request
                continuous_backups: true
                tags:
                  team: platform
                retry: [1, 2]
            """);
        var storage = config.Teleport.Storage;

        Assert.Equal(StorageType.DynamoDb, storage.Type);
        Assert.Null(storage.Path);
        Assert.Equal("eu-west-1", storage.Region);
        Assert.Equal("teleport-backend", storage.TableName);
        Assert.Equal("http://localhost:8000", storage.Endpoint);
        Assert.Equal(["dynamodb://teleport-events"], storage.AuditEventsUri);
        Assert.Equal("s3://recordings/records", storage.AuditSessionsUri);
        Assert.Equal("pay_per_request", storage.GetExtraString("billing_mode"));
        Assert.Equal("true", storage.Extra["continuous_backups"]);
        var tags = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(storage.Extra["tags"]);
        Assert.Equal("platform", tags["team"]);
        Assert.Equal(["1", "2"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(storage.Extra["retry"]));
        Assert.DoesNotContain("type", storage.Extra.Keys);
    }

    [Theory]
    [InlineData("sqlite", StorageType.Sqlite)]
    [InlineData("dir", StorageType.Sqlite)]
    [InlineData("postgresql", StorageType.PostgreSql)]
    [InlineData("postgres", StorageType.PostgreSql)]
    [InlineData("dynamodb", StorageType.DynamoDb)]
    [InlineData("etcd", StorageType.Etcd)]
    [InlineData("firestore", StorageType.Firestore)]
    [InlineData("cockroachdb", StorageType.CockroachDb)]
    [InlineData("azure", StorageType.Azure)]
    public void Storage_types_use_teleport_names(string name, StorageType expected)
    {
        var config = TeleportConfigLoader.Parse($"version: v3\nteleport:\n  storage:\n    type: {name}\n");

        Assert.Equal(expected, config.Teleport.Storage.Type);
    }

    [Fact]
    public void Storage_lists_for_etcd_and_postgres_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              storage:
                type: etcd
                peers: [https://etcd-1:2379, https://etcd-2:2379]
                prefix: /teleport
                audit_events_uri:
                  - file:///var/lib/teleport/log
                  - stdout://
            """);

        Assert.Equal(["https://etcd-1:2379", "https://etcd-2:2379"], config.Teleport.Storage.Peers);
        Assert.Equal("/teleport", config.Teleport.Storage.Prefix);
        Assert.Equal(["file:///var/lib/teleport/log", "stdout://"], config.Teleport.Storage.AuditEventsUri);
    }

    [Fact]
    public void Misspelled_storage_key_is_not_passed_through()
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              storage:
                type: postgresql
                conn_sting: postgresql://db/teleport
            """));

        Assert.Equal("teleport.yaml:5: unknown key 'conn_sting' in teleport.storage (did you mean 'conn_string'?)", error.Message);
    }

    [Fact]
    public void Auth_service_values_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              data_dir: /srv/teleport
            auth_service:
              listen_addr: 10.0.0.2:3025
              public_addr: [auth.example.com:3025]
              cluster_name: example.com
              license_file: license.pem
              authentication:
                type: github
                second_factors: [webauthn, otp]
                connector_name: github
                webauthn:
                  rp_id: example.com
              tokens:
                - "node:abc123"
                - "Node,Proxy:/etc/teleport/token"
              session_recording: proxy-sync
              message_of_the_day: Authorized use only.
              routing_strategy: most_recent
            """);
        var auth = config.AuthService;

        Assert.Equal(new NetAddress("10.0.0.2", 3025), auth.ListenAddr);
        Assert.Equal("example.com", auth.ClusterName);
        Assert.Equal("/srv/teleport/license.pem", auth.LicenseFile);
        Assert.Equal("github", auth.Authentication.Type);
        Assert.Equal([SecondFactorType.Webauthn, SecondFactorType.Otp], auth.Authentication.SecondFactors);
        Assert.Equal("github", auth.Authentication.ConnectorName);
        Assert.Equal("example.com", auth.Authentication.Webauthn.RpId);
        Assert.Equal(2, auth.Tokens.Count);
        Assert.Equal(["node"], auth.Tokens[0].Roles);
        Assert.Equal("abc123", auth.Tokens[0].Token);
        Assert.Equal(["node", "proxy"], auth.Tokens[1].Roles);
        Assert.Equal("/etc/teleport/token", auth.Tokens[1].Token);
        Assert.Equal(SessionRecordingMode.ProxySync, auth.SessionRecording);
        Assert.Equal("Authorized use only.", auth.MessageOfTheDay);
        Assert.Equal(RoutingStrategy.MostRecent, auth.RoutingStrategy);
    }

    [Theory]
    [InlineData("off", SecondFactorMode.Off)]
    [InlineData("on", SecondFactorMode.On)]
    [InlineData("optional", SecondFactorMode.Optional)]
    [InlineData("webauthn", SecondFactorMode.Webauthn)]
    [InlineData("OTP", SecondFactorMode.Otp)]
    public void Second_factor_off_and_on_are_names_not_booleans(string value, SecondFactorMode expected)
    {
        var config = TeleportConfigLoader.Parse($"version: v3\nauth_service:\n  authentication:\n    second_factor: {value}\n");

        Assert.Equal(expected, config.AuthService.Authentication.SecondFactor);
    }

    [Theory]
    [InlineData("node", "expected \"roles:token\"")]
    [InlineData("node:a:b", "expected \"roles:token\"")]
    [InlineData("ndoe:abc", "unknown role 'ndoe'")]
    public void Malformed_static_token_is_reported(string token, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TeleportConfigLoader.Parse($"version: v3\nauth_service:\n  tokens:\n    - \"{token}\"\n"));

        Assert.StartsWith("teleport.yaml:4: auth_service.tokens[0]: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_service_values_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            proxy_service:
              web_listen_addr: 0.0.0.0:443
              https_keypairs_reload_interval: 1h
              public_addr: teleport.example.com:443
              acme:
                enabled: yes
                email: admin@example.com
                uri: https://acme.example.com/directory
              proxy_protocol: on
            """);
        var proxy = config.ProxyService;

        Assert.Equal(new NetAddress("0.0.0.0", 443), proxy.WebListenAddr);
        Assert.Equal(TimeSpan.FromHours(1), proxy.HttpsKeyPairsReloadInterval);
        Assert.True(proxy.Acme.Enabled);
        Assert.Equal("admin@example.com", proxy.Acme.Email);
        Assert.Equal("https://acme.example.com/directory", proxy.Acme.Uri);
        Assert.True(proxy.ProxyProtocol);
        // No listen_addr written: a multiplexing proxy then opens no separate SSH port.
        Assert.False(proxy.ListenAddrIsSet);
    }

    [Fact]
    public void Ssh_service_values_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            ssh_service:
              enabled: "yes"
              listen_addr: "[::]:3022"
              labels:
                env: prod
                rack: 12
              commands:
              - name: kernel
                command: [uname, -r]
                period: 1h30m
              pam:
                enabled: true
                service_name: teleport
              enhanced_recording:
                enabled: true
              permit_user_env: true
            """);
        var ssh = config.SshService;

        Assert.True(ssh.Enabled);
        Assert.Equal(new NetAddress("::", 3022), ssh.ListenAddr);
        Assert.Equal("prod", ssh.Labels["env"]);
        Assert.Equal("12", ssh.Labels["rack"]);
        var command = Assert.Single(ssh.Commands);
        Assert.Equal("kernel", command.Name);
        Assert.Equal(["uname", "-r"], command.Command);
        Assert.Equal(TimeSpan.FromMinutes(90), command.Period);
        Assert.True(ssh.Pam.Enabled);
        Assert.Equal("teleport", ssh.Pam.ServiceName);
        Assert.True(ssh.EnhancedRecording.Enabled);
        Assert.True(ssh.PermitUserEnv);
    }

    [Fact]
    public void Output_of_teleport_configure_parses()
    {
        // Shape of Teleport's own "teleport configure" output: quoted "yes" and empty placeholders.
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              nodename: host-1
              data_dir: /var/lib/teleport
              log:
                output: stderr
                severity: INFO
                format:
                  output: text
              ca_pin: ""
              diag_addr: ""
            auth_service:
              enabled: "yes"
              listen_addr: 0.0.0.0:3025
              proxy_listener_mode: multiplex
            ssh_service:
              enabled: "yes"
              commands:
              - name: hostname
                command: [hostname]
                period: 1m0s
            proxy_service:
              enabled: "yes"
              web_listen_addr: 0.0.0.0:443
              public_addr: host-1:443
              https_keypairs: []
              https_keypairs_reload_interval: 0s
              acme: {}
            """);

        Assert.Equal("host-1", config.AuthService.ClusterName);
        Assert.True(config.SshService.Enabled);
        Assert.Equal([new NetAddress("host-1", 443)], config.ProxyService.PublicAddrs);
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            auth_service:
              public_addr: &lb teleport.example.com:443
            proxy_service:
              public_addr: *lb
            """);

        Assert.Equal(config.AuthService.PublicAddrs, config.ProxyService.PublicAddrs);
    }
}
