namespace Teleport.Orleans.Configuration.Tests;

/// <summary>Every problem names its file, line and the full key path, so an operator can fix it without guessing.</summary>
public sealed class ErrorReportingTests
{
    private static ConfigurationException ParseFails(string yaml) =>
        Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse(yaml));

    [Fact]
    public void Unknown_key_is_reported_with_its_line()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              nodename: auth-1
            auth_service:
              enabled: true
              cluster_name: example
              lisen_addr: 0.0.0.0:3025
            """);

        Assert.StartsWith("teleport.yaml:7: unknown key 'lisen_addr' in auth_service", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void Unknown_key_suggests_the_closest_known_key()
    {
        var error = ParseFails("""
            version: v3
            auth_service:
              lisen_addr: 0.0.0.0:3025
            """);

        Assert.Equal("teleport.yaml:3: unknown key 'lisen_addr' in auth_service (did you mean 'listen_addr'?)", error.Message);
    }

    [Fact]
    public void Unknown_nested_key_is_reported_with_its_full_path()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              log:
                format:
                  outptu: json
            """);

        Assert.StartsWith("teleport.yaml:5: unknown key 'outptu' in teleport.log.format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_in_a_list_item_is_reported_with_its_index()
    {
        var error = ParseFails("""
            version: v3
            proxy_service:
              https_keypairs:
              - key_file: /a.key
                cert_file: /a.crt
              - key_file: /b.key
                cert_file: /b.crt
                chain_file: /b.pem
            """);

        Assert.StartsWith("teleport.yaml:8: unknown key 'chain_file' in proxy_service.https_keypairs[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_top_level_section_is_reported()
    {
        var error = ParseFails("""
            version: v3
            auth_servce:
              enabled: true
            """);

        Assert.StartsWith("teleport.yaml:2: unknown key 'auth_servce' at the top level (did you mean 'auth_service'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Teleport_sections_that_are_not_implemented_are_named_as_such()
    {
        var error = ParseFails("""
            version: v3
            db_service:
              enabled: true
            """);

        Assert.Contains("teleport.yaml:2: section 'db_service' is a Teleport service that Teleport.Orleans does not implement", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_boolean_is_reported_with_its_line_and_path()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              nodename: auth-1
            auth_service:
              enabled: maybe
            """);

        Assert.Equal("teleport.yaml:5: auth_service.enabled: expected a boolean (yes/no/true/false), got 'maybe'", error.Message);
    }

    [Fact]
    public void Mapping_where_a_scalar_belongs_is_a_type_error()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              nodename:
                name: x
            """);

        Assert.Equal("teleport.yaml:4: teleport.nodename: expected a string, got a mapping", error.Message);
    }

    [Fact]
    public void Scalar_where_a_section_belongs_is_a_type_error()
    {
        var error = ParseFails("""
            version: v3
            ssh_service: yes
            """);

        Assert.Equal("teleport.yaml:2: ssh_service: expected a mapping, got 'yes'", error.Message);
    }

    [Fact]
    public void Wrong_integer_is_reported()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              connection_limits:
                max_connections: lots
            """);

        Assert.Equal("teleport.yaml:4: teleport.connection_limits.max_connections: expected an integer, got 'lots'", error.Message);
    }

    [Fact]
    public void Bad_duration_is_reported_with_its_line()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              cache:
                max_backoff: 5 minutes
            """);

        Assert.StartsWith("teleport.yaml:4: teleport.cache.max_backoff: expected a duration such as 30s, 1m30s or 12h, got '5 minutes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duration_without_unit_is_reported()
    {
        var error = ParseFails("""
            version: v3
            ssh_service:
              commands:
              - name: arch
                command: [uname, -m]
                period: 60
            """);

        Assert.StartsWith("teleport.yaml:6: ssh_service.commands[0].period: expected a duration", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing unit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_duration_is_reported()
    {
        var error = ParseFails("""
            version: v3
            proxy_service:
              https_keypairs_reload_interval: -1h
            """);

        Assert.Equal("teleport.yaml:3: proxy_service.https_keypairs_reload_interval: duration '-1h' must not be negative", error.Message);
    }

    [Fact]
    public void Bad_address_is_reported_with_its_line()
    {
        var error = ParseFails("""
            version: v3
            proxy_service:
              web_listen_addr: 0.0.0.0:http
            """);

        Assert.Equal("teleport.yaml:3: proxy_service.web_listen_addr: expected an address (host:port), got '0.0.0.0:http': invalid port 'http' in address '0.0.0.0:http' (expected 0-65535)", error.Message);
    }

    [Fact]
    public void Bad_address_in_a_list_is_reported_with_its_index()
    {
        var error = ParseFails("""
            version: v3
            proxy_service:
              public_addr:
              - teleport.example.com:443
              - "::1:443:x"
            """);

        Assert.StartsWith("teleport.yaml:5: proxy_service.public_addr[1]: expected an address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_enum_value_lists_the_choices()
    {
        var error = ParseFails("""
            version: v3
            auth_service:
              session_recording: always
            """);

        Assert.Equal("teleport.yaml:3: auth_service.session_recording: expected one of node|node-sync|proxy|proxy-sync|off, got 'always'", error.Message);
    }

    [Fact]
    public void Bad_storage_type_is_reported()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              storage:
                type: mysql
            """);

        Assert.StartsWith("teleport.yaml:4: teleport.storage.type: expected one of sqlite|postgresql|dynamodb|etcd|firestore|cockroachdb|azure, got 'mysql'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("v1")]
    [InlineData("v4")]
    [InlineData("3")]
    public void Version_other_than_v3_is_refused(string version)
    {
        var error = ParseFails($"""
            # comment
            version: {version}
            teleport:
              nodename: x
            """);

        Assert.Equal($"teleport.yaml:2: version: unsupported configuration version '{version}'; Teleport.Orleans reads only 'v3' (convert the file to v3 as described in Teleport's configuration reference)", error.Message);
    }

    [Fact]
    public void Missing_version_is_refused()
    {
        var error = ParseFails("""
            teleport:
              nodename: x
            """);

        Assert.StartsWith("teleport.yaml:1: version: missing; add 'version: v3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_reports_the_parser_position()
    {
        var error = ParseFails("""
            version: v3
            auth_service:
              public_addr: [a.example.com:3025, b.example.com:3025
            """);

        Assert.Equal("teleport.yaml:4:1: invalid YAML: While parsing a flow sequence, did not find expected ',' or ']'.", error.Message);
        Assert.Equal(4, error.Line);
        Assert.IsType<YamlDotNet.Core.YamlException>(error.InnerException, exactMatch: false);
    }

    [Fact]
    public void Unclosed_bracket_before_more_sections_is_reported_at_its_line()
    {
        // YamlDotNet fails here without a position of its own; the error points at the last value it read.
        var error = ParseFails("""
            version: v3
            auth_service:
              public_addr: [a.example.com:3025, b.example.com:3025
            proxy_service:
              enabled: no
            """);

        Assert.StartsWith("teleport.yaml:3:17: invalid YAML: cannot parse past this point", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_quote_reports_the_parser_position()
    {
        var error = ParseFails("version: v3\nteleport:\n  nodename: 'node-1\n");

        Assert.StartsWith("teleport.yaml:3:13: invalid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_indentation_reports_the_parser_position()
    {
        var error = ParseFails("version: v3\nauth_service:\n  enabled: yes\n cluster_name: x\n");

        Assert.StartsWith("teleport.yaml:4:", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_key_is_reported_with_its_line()
    {
        var error = ParseFails("""
            version: v3
            auth_service:
              enabled: yes
              enabled: no
            """);

        Assert.StartsWith("teleport.yaml:4:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Duplicate key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        var error = ParseFails("# nothing here\n");

        Assert.StartsWith("teleport.yaml:1: the configuration is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_level_that_is_not_a_mapping_is_refused()
    {
        var error = ParseFails("- version: v3\n");

        Assert.StartsWith("teleport.yaml:1: expected a mapping of sections", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_in_file_order()
    {
        var error = ParseFails("""
            version: v3
            teleport:
              log:
                severity: LOUD
            auth_service:
              enabled: perhaps
              bogus: 1
            ssh_service:
              listen_addr: "host:port"
            """);

        Assert.Equal([4, 6, 7, 9], error.Errors.Select(e => e.Line));
        Assert.Equal(4, error.Message.Split(Environment.NewLine).Length);
        Assert.All(error.Errors, e => Assert.Equal("teleport.yaml", e.SourceName));
    }

    [Fact]
    public void Source_name_prefixes_every_message()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TeleportConfigLoader.Parse("version: v3\nssh_service:\n  enabled: maybe\n", "/etc/teleport.yaml"));

        Assert.StartsWith("/etc/teleport.yaml:3: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_configuration_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Load(path));

        Assert.StartsWith($"{path}: cannot read the configuration file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reports_errors_against_the_file_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"teleport-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "version: v3\nproxy_service:\n  enabled: nope\n");
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Load(path));

            Assert.StartsWith($"{path}:3: proxy_service.enabled:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
