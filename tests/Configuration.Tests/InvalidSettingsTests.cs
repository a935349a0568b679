namespace Teleport.Orleans.Configuration.Tests;

/// <summary>Settings that cannot work together, or values out of range: one error that names the key and its line.</summary>
public sealed class InvalidSettingsTests
{
    [Fact]
    public void Command_label_needs_name_command_and_period()
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("""
            version: v3
            ssh_service:
              commands:
              - name: kernel
            """));

        Assert.Equal(2, error.Errors.Count);
        Assert.Equal("ssh_service.commands[0].command: is required (a list: [program, arg, ...])", error.Errors[0].Message);
        Assert.Equal("ssh_service.commands[0].period: is required (e.g. 1m)", error.Errors[1].Message);
        Assert.All(error.Errors, e => Assert.Equal(4, e.Line));
    }

    [Fact]
    public void Key_pair_needs_both_files()
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("""
            version: v3
            proxy_service:
              https_keypairs:
              - key_file: /etc/tls.key
            """));

        Assert.Equal("teleport.yaml:4: proxy_service.https_keypairs[0].cert_file: is required", error.Message);
    }

    [Theory]
    [InlineData("teleport:\n  auth_server: a:3025\n  proxy_server: p:443\n", "teleport.proxy_server: set only one of auth_server, auth_servers and proxy_server")]
    [InlineData("teleport:\n  auth_token: abc\n  join_params:\n    token_name: abc\n", "teleport.auth_token: set either auth_token or join_params, not both")]
    [InlineData("teleport:\n  join_params:\n    method: token\n", "teleport.join_params.token_name: is required when join_params is set")]
    [InlineData("teleport:\n  join_params:\n    token_name: x\n    method: magic\n", "teleport.join_params.method: expected one of token|ec2|")]
    [InlineData("auth_service:\n  authentication:\n    second_factor: otp\n    second_factors: [otp]\n", "auth_service.authentication.second_factors: set either second_factor or second_factors, not both")]
    [InlineData("auth_service:\n  authentication:\n    second_factors: [otp, sms]\n", "auth_service.authentication.second_factors[1]: expected one of otp|webauthn|sso, got 'sms'")]
    [InlineData("proxy_service:\n  acme:\n    enabled: yes\n", "proxy_service.acme.enabled: needs proxy_service.public_addr: the DNS names to get certificates for")]
    [InlineData("proxy_service:\n  public_addr: 192.0.2.10:443\n  acme:\n    enabled: yes\n", "proxy_service.public_addr: 192.0.2.10 is an IP address; acme.enabled needs DNS names (ACME servers issue no certificates for IP addresses)")]
    [InlineData("proxy_service:\n  public_addr: t.example.com:443\n  acme:\n    enabled: yes\n    uri: http://acme.example.com/dir\n", "proxy_service.acme.uri: expected the https URL of an ACME directory, got 'http://acme.example.com/dir'")]
    [InlineData("proxy_service:\n  public_addr: t.example.com:443\n  acme:\n    enabled: yes\n  https_keypairs:\n  - key_file: k\n    cert_file: c\n", "proxy_service.https_keypairs: cannot be used together with acme.enabled")]
    [InlineData("proxy_service:\n  proxy_protocol: sometimes\n", "proxy_service.proxy_protocol: expected on or off, got 'sometimes'")]
    [InlineData("teleport:\n  connection_limits:\n    max_users: 0\n", "teleport.connection_limits.max_users: 0 is out of range")]
    [InlineData("teleport:\n  diag_addr: localhost\n", "teleport.diag_addr: expected an address (host:port), got 'localhost': missing port")]
    [InlineData("ssh_service:\n  labels: [a, b]\n", "ssh_service.labels: expected a mapping, got a list")]
    [InlineData("ssh_service:\n  commands:\n  - name: x\n    command: [date]\n    period: 0s\n", "ssh_service.commands[0].period: must be greater than zero")]
    public void Conflicting_or_invalid_settings_are_reported(string body, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("version: v3\n" + body));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }
}
