namespace Teleport.Orleans.Configuration.Tests;

/// <summary>The version: v3 snippets of the HA deployment guide, with their lost indentation restored.</summary>
public sealed class GuideExamplesTests
{
    [Fact]
    public void Proxy_pool_with_tls_routing_parses()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            auth_service:
              enabled: false
            proxy_service:
              enabled: true
              public_addr: "mycluster.example.com:443"
              https_keypairs:
              - key_file: /etc/teleport-tls/tls.key
                cert_file: /etc/teleport-tls/tls.crt
            """);

        Assert.False(config.AuthService.Enabled);
        Assert.True(config.ProxyService.Enabled);
        Assert.Equal([new NetAddress("mycluster.example.com", 443)], config.ProxyService.PublicAddrs);
        var pair = Assert.Single(config.ProxyService.HttpsKeyPairs);
        Assert.Equal("/etc/teleport-tls/tls.key", pair.KeyFile);
        Assert.Equal("/etc/teleport-tls/tls.crt", pair.CertFile);
        Assert.Equal(ProxyListenerMode.Multiplex, config.AuthService.ProxyListenerMode);
        Assert.True(config.SshService.Enabled);
    }

    [Fact]
    public void Proxy_pool_without_tls_routing_parses()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            auth_service:
              proxy_listener_mode: separate
              enabled: false
            proxy_service:
              enabled: true
              listen_addr: 0.0.0.0:3023
              tunnel_listen_addr: 0.0.0.0:3024
              public_addr: "mycluster.example.com:443"
              https_keypairs:
              - key_file: /etc/teleport-tls/tls.key
                cert_file: /etc/teleport-tls/tls.crt
            """);

        Assert.Equal(ProxyListenerMode.Separate, config.AuthService.ProxyListenerMode);
        Assert.False(config.AuthService.Enabled);
        Assert.Equal(new NetAddress("0.0.0.0", 3023), config.ProxyService.ListenAddr);
        Assert.True(config.ProxyService.ListenAddrIsSet);
        Assert.Equal(new NetAddress("0.0.0.0", 3024), config.ProxyService.TunnelListenAddr);
        Assert.Equal(new NetAddress("0.0.0.0", 3080), config.ProxyService.WebListenAddr);
        Assert.Single(config.ProxyService.HttpsKeyPairs);
    }

    [Theory]
    [InlineData("proxy pool")]
    [InlineData("auth pool")]
    public void Disabling_the_ssh_service_with_placeholder_sections_parses(string pool)
    {
        // The guide shows this snippet once for each pool; the sections holding only "# ..." are null.
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              storage:
                # ...
            auth_service:
              # ...
            proxy_service:
              # ...
            ssh_service:
              enabled: false
            """, pool);

        Assert.False(config.SshService.Enabled);
        Assert.True(config.AuthService.Enabled);
        Assert.True(config.ProxyService.Enabled);
        Assert.Equal(StorageType.Sqlite, config.Teleport.Storage.Type);
    }

    [Fact]
    public void Storage_placeholder_parses_to_the_default_backend()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              storage:
                # ...
            """);

        Assert.Equal(StorageType.Sqlite, config.Teleport.Storage.Type);
        Assert.Equal("/var/lib/teleport/backend", config.Teleport.Storage.Path);
        Assert.Empty(config.Teleport.Storage.Extra);
    }

    [Fact]
    public void Auth_pool_with_license_file_parses()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              storage:
                # ...
            auth_service:
              enabled: true
              cluster_name: "mycluster.example.com"
              # Remove this if not using Teleport Enterprise
              license_file: "/var/lib/teleport/license.pem"
            proxy_service:
              enabled: false
            """);

        Assert.True(config.AuthService.Enabled);
        Assert.Equal("mycluster.example.com", config.AuthService.ClusterName);
        Assert.Equal("/var/lib/teleport/license.pem", config.AuthService.LicenseFile);
        Assert.False(config.ProxyService.Enabled);
        Assert.Equal(new NetAddress("0.0.0.0", 3025), config.AuthService.ListenAddr);
    }
}
