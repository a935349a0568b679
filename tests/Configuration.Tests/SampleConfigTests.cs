namespace Teleport.Orleans.Configuration.Tests;

public sealed class SampleConfigTests
{
    [Fact]
    public void Sample_config_parses()
    {
        var config = TeleportConfigLoader.Parse(SampleConfig.Text, "sample.yaml");

        Assert.Equal("v3", config.Version);
        Assert.True(config.AuthService.Enabled);
        Assert.True(config.ProxyService.Enabled);
        Assert.True(config.SshService.Enabled);
    }

    [Fact]
    public void Sample_config_active_values_are_the_defaults()
    {
        var sample = TeleportConfigLoader.Parse(SampleConfig.Text);
        var defaults = TeleportConfig.Default("/var/lib/teleport");

        Assert.Equal(defaults.Teleport.DataDir, sample.Teleport.DataDir);
        Assert.Equal(defaults.Teleport.NodeName, sample.Teleport.NodeName);
        Assert.Equal(defaults.Teleport.Storage.Path, sample.Teleport.Storage.Path);
        Assert.Equal(defaults.Teleport.Log.Severity, sample.Teleport.Log.Severity);
        Assert.Equal(defaults.Teleport.ConnectionLimits.MaxConnections, sample.Teleport.ConnectionLimits.MaxConnections);
        Assert.Equal(defaults.Teleport.Cache.MaxBackoff, sample.Teleport.Cache.MaxBackoff);
        Assert.Equal(defaults.AuthService.ClusterName, sample.AuthService.ClusterName);
        Assert.Equal(defaults.AuthService.ListenAddr, sample.AuthService.ListenAddr);
        Assert.Equal(defaults.AuthService.Authentication.SecondFactor, sample.AuthService.Authentication.SecondFactor);
        Assert.Equal(defaults.ProxyService.WebListenAddr, sample.ProxyService.WebListenAddr);
        Assert.Equal(defaults.ProxyService.ListenAddr, sample.ProxyService.ListenAddr);
        Assert.Equal(defaults.ProxyService.TunnelListenAddr, sample.ProxyService.TunnelListenAddr);
        Assert.Equal(defaults.SshService.ListenAddr, sample.SshService.ListenAddr);
        Assert.Equal(defaults.SshService.Pam.ServiceName, sample.SshService.Pam.ServiceName);
    }

    [Fact]
    public void Sample_config_example_labels_are_read()
    {
        var config = TeleportConfigLoader.Parse(SampleConfig.Text);

        Assert.Equal("dev", config.SshService.Labels["env"]);
        var command = Assert.Single(config.SshService.Commands);
        Assert.Equal("hostname", command.Name);
        Assert.Equal(["hostname"], command.Command);
        Assert.Equal(TimeSpan.FromMinutes(1), command.Period);
    }

    [Theory]
    [InlineData("nodename")]
    [InlineData("data_dir")]
    [InlineData("pid_file")]
    [InlineData("severity")]
    [InlineData("format")]
    [InlineData("storage")]
    [InlineData("conn_string")]
    [InlineData("region")]
    [InlineData("table_name")]
    [InlineData("endpoint")]
    [InlineData("peers")]
    [InlineData("prefix")]
    [InlineData("audit_events_uri")]
    [InlineData("audit_sessions_uri")]
    [InlineData("auth_token")]
    [InlineData("join_params")]
    [InlineData("token_name")]
    [InlineData("method")]
    [InlineData("auth_server")]
    [InlineData("auth_servers")]
    [InlineData("proxy_server")]
    [InlineData("ca_pin")]
    [InlineData("advertise_ip")]
    [InlineData("diag_addr")]
    [InlineData("max_connections")]
    [InlineData("max_users")]
    [InlineData("max_backoff")]
    [InlineData("public_addr")]
    [InlineData("cluster_name")]
    [InlineData("proxy_listener_mode")]
    [InlineData("license_file")]
    [InlineData("second_factor")]
    [InlineData("second_factors")]
    [InlineData("tokens")]
    [InlineData("session_recording")]
    [InlineData("message_of_the_day")]
    [InlineData("routing_strategy")]
    [InlineData("web_listen_addr")]
    [InlineData("tunnel_listen_addr")]
    [InlineData("ssh_public_addr")]
    [InlineData("tunnel_public_addr")]
    [InlineData("https_keypairs")]
    [InlineData("https_keypairs_reload_interval")]
    [InlineData("acme")]
    [InlineData("email")]
    [InlineData("proxy_protocol")]
    [InlineData("labels")]
    [InlineData("commands")]
    [InlineData("period")]
    [InlineData("pam")]
    [InlineData("enhanced_recording")]
    [InlineData("permit_user_env")]
    public void Sample_config_documents_every_key(string key)
    {
        Assert.Contains($"{key}:", SampleConfig.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_config_has_a_comment_before_every_active_key()
    {
        var lines = SampleConfig.Text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            var isScalarKey = line.Length > 0 && !line.StartsWith('#') && !line.StartsWith('-') && !line.TrimEnd().EndsWith(':');
            var previous = lines[i - 1].TrimStart();

            // Items under commands/labels are examples documented by their parent's comment.
            if (isScalarKey && !previous.StartsWith('#') && !previous.StartsWith("- ", StringComparison.Ordinal) && !previous.StartsWith("labels:", StringComparison.Ordinal) && !previous.StartsWith("command:", StringComparison.Ordinal))
            {
                Assert.Fail($"line {i + 1} '{line}' has no comment above it");
            }
        }
    }
}
