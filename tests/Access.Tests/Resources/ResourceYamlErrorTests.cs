using Teleport.Orleans.Access.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class ResourceYamlErrorTests
{
    private const string Role = """
        kind: role
        version: v7
        metadata:
          name: dev
        spec:
          options:
            max_session_ttl: 8h
          allow:
            logins: [root]
            node_labels:
              env: prod
            rules:
              - resources: [session]
                verbs: [read]

        """;

    private static ResourceFormatException Error(string yaml) => Assert.Throws<ResourceFormatException>(() => ResourceYaml.Parse(yaml));

    private static string Replace(string find, string replacement)
    {
        Assert.Contains(find, Role);
        return Role.Replace(find, replacement, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unchanged_role_is_valid()
    {
        Assert.Single(ResourceYaml.Parse(Role));
    }

    [Fact]
    public void An_unknown_kind_is_named()
    {
        var e = Error(Replace("kind: role", "kind: rolez"));

        Assert.StartsWith("line 1: unknown resource kind 'rolez'", e.Message);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void An_unknown_key_is_named_with_its_line_and_path()
    {
        Assert.Equal("line 9: unknown key 'lgins' in spec.allow", Error(Replace("logins:", "lgins:")).Message);
    }

    [Fact]
    public void An_unknown_top_level_key_is_named()
    {
        Assert.Equal("line 15: unknown key 'status' in the resource", Error(Role + "status: {}\n").Message);
    }

    [Theory]
    [InlineData("logins: [root]", "logins: root", "line 9: spec.allow.logins must be a list of strings, not 'root'")]
    [InlineData("logins: [root]", "logins: {a: b}", "line 9: spec.allow.logins must be a list of strings, not a mapping")]
    [InlineData("logins: [root]", "logins: [[root]]", "line 9: spec.allow.logins must be a string, not a list")]
    [InlineData("env: prod", "env: {a: b}", "line 11: spec.allow.node_labels.env must be a string or a list of strings, not a mapping")]
    [InlineData("max_session_ttl: 8h", "max_session_ttl: 8h\n    port_forwarding: 'true'", "line 8: spec.options.port_forwarding must be true or false, not 'true'")]
    [InlineData("max_session_ttl: 8h", "max_session_ttl: 8h\n    forward_agent: yes please", "line 8: spec.options.forward_agent must be true or false, not 'yes please'")]
    [InlineData("max_session_ttl: 8h", "max_session_ttl: 8h\n    disconnect_expired_cert: sometimes", "line 8: spec.options.disconnect_expired_cert must be true or false, not 'sometimes'")]
    [InlineData("  options:\n    max_session_ttl: 8h", "  options: [8h]", "line 6: spec.options must be a mapping, not a list")]
    [InlineData("- resources: [session]\n        verbs: [read]", "- session", "line 13: spec.allow.rules[0] must be a mapping, not 'session'")]
    [InlineData("name: dev", "name: [dev]", "line 4: metadata.name must be a string, not a list")]
    public void A_wrong_type_is_named_with_its_line(string find, string replacement, string error)
    {
        Assert.Equal(error, Error(Replace(find, replacement)).Message);
    }

    [Fact]
    public void An_invalid_regex_is_named_with_its_line_and_label()
    {
        var e = Error(Replace("env: prod", "env: ['^prod$', '^(a|b$']"));

        Assert.StartsWith("line 11: invalid regex '^(a|b$' in spec.allow.node_labels.env: ", e.Message);
        Assert.Contains("Not enough )'s", e.Message);
    }

    [Theory]
    [InlineData("8", "missing unit")]
    [InlineData("8d", "unknown unit 'd'")]
    [InlineData("h", "expected a number")]
    [InlineData("1..5h", "invalid number")]
    [InlineData("-1h", "must not be negative")]
    [InlineData("99999999999h", "out of range")]
    public void A_bad_duration_is_named_with_its_line(string duration, string reason)
    {
        var e = Error(Replace("max_session_ttl: 8h", $"max_session_ttl: {duration}"));

        Assert.StartsWith("line 7: ", e.Message);
        Assert.Contains("spec.options.max_session_ttl", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("15", "missing unit")]
    [InlineData("-5m", "must not be negative")]
    public void A_bad_client_idle_timeout_is_named_with_its_line(string duration, string reason)
    {
        var e = Error(Replace("max_session_ttl: 8h", $"max_session_ttl: 8h\n    client_idle_timeout: {duration}"));

        Assert.StartsWith("line 8: ", e.Message);
        Assert.Contains("spec.options.client_idle_timeout", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("logins: [root]", "logins: ['{{internal.logins']", "line 9: bad login template '{{internal.logins' in spec.allow.logins")]
    [InlineData("verbs: [read]", "verbs: [read, raed]", "line 14: unknown verb 'raed' in spec.allow.rules[0].verbs")]
    [InlineData("name: dev", "name: 'a b'", "line 4: invalid name 'a b' in metadata.name")]
    [InlineData("env: prod", "env: '^('", "line 11: invalid regex '^(' in spec.allow.node_labels.env: a regex must start with '^' and end with '$'")]
    [InlineData("version: v7", "version: v9", "line 2: unsupported version 'v9' for kind 'role'")]
    [InlineData("version: v7", "version: ", "line 2: missing version")]
    [InlineData("  name: dev", "  description: no name", "line 4: missing metadata.name")]
    [InlineData("verbs: [read]", "verbs: []", "line 14: spec.allow.rules[0].verbs must name at least one verb")]
    public void Invalid_values_are_named_with_their_line(string find, string replacement, string error)
    {
        Assert.StartsWith(error, Error(Replace(find, replacement)).Message);
    }

    [Theory]
    [InlineData("logins: [root]", 10)]
    [InlineData("  name: dev", 5)]
    [InlineData("name: dev", 5)]
    public void Malformed_yaml_is_reported_with_its_line(string find, int line)
    {
        // Respectively: an unclosed list (found where the next key begins), a key indented like a new mapping, and a duplicate key (at the second one).
        var replacement = find switch
        {
            "  name: dev" => "  name: dev\n    bad: indent",
            "name: dev" => "name: dev\n  name: again",
            _ => "logins: [root",
        };

        var e = Error(Replace(find, replacement));

        Assert.StartsWith($"line {line}: invalid YAML: ", e.Message);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_refused()
    {
        Assert.Equal("line 1: expected a resource (a mapping with kind, version, metadata and spec), not 'hello'", Error("hello\n").Message);
    }

    [Fact]
    public void A_missing_kind_is_refused()
    {
        Assert.StartsWith("line 1: missing kind", Error("version: v7\nmetadata: {name: x}\n").Message);
    }

    [Fact]
    public void Errors_in_later_documents_carry_their_own_line()
    {
        var e = Error(Role + "---\nkind: user\nversion: v2\nmetadata: {name: bob}\nspec: {rolez: []}\n");

        Assert.Equal("line 19: unknown key 'rolez' in spec", e.Message);
    }
}
