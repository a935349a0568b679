using System.Net;

namespace Teleport.Orleans.Configuration.Tests;

public sealed class DefaultsTests
{
    [Fact]
    public void Default_config_runs_all_three_services_on_sqlite()
    {
        var config = TeleportConfig.Default("/tmp/tp-data");

        Assert.Equal("v3", config.Version);
        Assert.True(config.AuthService.Enabled);
        Assert.True(config.ProxyService.Enabled);
        Assert.True(config.SshService.Enabled);
        Assert.Equal("/tmp/tp-data", config.Teleport.DataDir);
        Assert.Equal(StorageType.Sqlite, config.Teleport.Storage.Type);
        Assert.Equal("/tmp/tp-data/backend", config.Teleport.Storage.Path);
        Assert.Equal(Dns.GetHostName(), config.AuthService.ClusterName);
        Assert.Equal(Dns.GetHostName(), config.Teleport.NodeName);
    }

    [Fact]
    public void Minimal_file_gets_every_default()
    {
        var config = TeleportConfigLoader.Parse("version: v3\n");
        var process = config.Teleport;

        Assert.Equal(Dns.GetHostName(), process.NodeName);
        Assert.Equal("/var/lib/teleport", process.DataDir);
        Assert.Null(process.PidFile);
        Assert.Equal("stderr", process.Log.Output);
        Assert.Null(process.Log.FilePath);
        Assert.Equal(LogSeverity.Info, process.Log.Severity);
        Assert.Equal(LogOutputFormat.Text, process.Log.Format.Output);
        Assert.Equal(StorageType.Sqlite, process.Storage.Type);
        Assert.Equal("/var/lib/teleport/backend", process.Storage.Path);
        Assert.Empty(process.Storage.AuditEventsUri);
        Assert.Null(process.AuthToken);
        Assert.Equal("token", process.JoinParams.Method);
        Assert.Null(process.AuthServer);
        Assert.Empty(process.AuthServers);
        Assert.Null(process.ProxyServer);
        Assert.Empty(process.CaPins);
        Assert.Null(process.DiagAddr);
        Assert.Equal(15000, process.ConnectionLimits.MaxConnections);
        Assert.Equal(250, process.ConnectionLimits.MaxUsers);
        Assert.True(process.Cache.Enabled);
        Assert.Equal("in-memory", process.Cache.Type);
        Assert.Equal(TimeSpan.FromSeconds(90), process.Cache.MaxBackoff);
    }

    [Fact]
    public void Minimal_file_gets_service_defaults()
    {
        var config = TeleportConfigLoader.Parse("version: v3\n");
        var auth = config.AuthService;
        var proxy = config.ProxyService;
        var ssh = config.SshService;

        Assert.True(auth.Enabled);
        Assert.Equal(new NetAddress("0.0.0.0", 3025), auth.ListenAddr);
        Assert.Equal(Dns.GetHostName(), auth.ClusterName);
        Assert.Equal(ProxyListenerMode.Multiplex, auth.ProxyListenerMode);
        Assert.Null(auth.LicenseFile);
        Assert.Equal("local", auth.Authentication.Type);
        Assert.Equal(SecondFactorMode.Otp, auth.Authentication.SecondFactor);
        Assert.Empty(auth.Tokens);
        Assert.Equal(SessionRecordingMode.Node, auth.SessionRecording);
        Assert.Equal(RoutingStrategy.UnambiguousMatch, auth.RoutingStrategy);

        Assert.True(proxy.Enabled);
        Assert.Equal(new NetAddress("0.0.0.0", 3023), proxy.ListenAddr);
        Assert.Equal(new NetAddress("0.0.0.0", 3080), proxy.WebListenAddr);
        Assert.Equal(new NetAddress("0.0.0.0", 3024), proxy.TunnelListenAddr);
        Assert.Empty(proxy.PublicAddrs);
        Assert.Empty(proxy.HttpsKeyPairs);
        Assert.Equal(TimeSpan.Zero, proxy.HttpsKeyPairsReloadInterval);
        Assert.False(proxy.Acme.Enabled);
        Assert.Null(proxy.ProxyProtocol);

        Assert.True(ssh.Enabled);
        Assert.Equal(new NetAddress("0.0.0.0", 3022), ssh.ListenAddr);
        Assert.Empty(ssh.Labels);
        Assert.Empty(ssh.Commands);
        Assert.False(ssh.Pam.Enabled);
        Assert.False(ssh.EnhancedRecording.Enabled);
        Assert.False(ssh.PermitUserEnv);
    }

    [Fact]
    public void Cluster_name_defaults_to_the_nodename_and_storage_path_to_the_data_dir()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              nodename: auth-1
              data_dir: /srv/teleport
            """);

        Assert.Equal("auth-1", config.AuthService.ClusterName);
        Assert.Equal("/srv/teleport/backend", config.Teleport.Storage.Path);
    }

    [Fact]
    public void Empty_and_null_values_mean_the_default()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              nodename: ""
              ca_pin: ""
              diag_addr: ""
              log: ~
            auth_service:
              listen_addr:
            proxy_service:
              acme: {}
              https_keypairs: []
            """);

        Assert.Equal(Dns.GetHostName(), config.Teleport.NodeName);
        Assert.Empty(config.Teleport.CaPins);
        Assert.Null(config.Teleport.DiagAddr);
        Assert.Equal(LogSeverity.Info, config.Teleport.Log.Severity);
        Assert.Equal(new NetAddress("0.0.0.0", 3025), config.AuthService.ListenAddr);
        Assert.False(config.ProxyService.Acme.Enabled);
    }
}
