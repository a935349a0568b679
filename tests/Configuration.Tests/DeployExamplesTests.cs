namespace Teleport.Orleans.Configuration.Tests;

/// <summary>The shipped deploy/examples files must load, or operators copying them get a broken start.</summary>
public sealed class DeployExamplesTests
{
    private static string ExamplePath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "examples", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"deploy/examples/{name} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void All_in_one_example_runs_every_service_on_sqlite()
    {
        var config = TeleportConfigLoader.Load(ExamplePath("all-in-one.yaml"));

        Assert.True(config.AuthService.Enabled && config.ProxyService.Enabled && config.SshService.Enabled);
        Assert.Equal(StorageType.Sqlite, config.Teleport.Storage.Type);
        Assert.Equal([new NetAddress("teleport.example.com", 443)], config.ProxyService.PublicAddrs);
    }

    [Fact]
    public void Auth_pool_example_runs_only_auth_on_a_shared_backend()
    {
        var config = TeleportConfigLoader.Load(ExamplePath("auth-pool.yaml"));

        Assert.True(config.AuthService.Enabled);
        Assert.False(config.ProxyService.Enabled);
        Assert.False(config.SshService.Enabled);
        Assert.Equal(StorageType.PostgreSql, config.Teleport.Storage.Type);
        Assert.Equal("mycluster.example.com", config.AuthService.ClusterName);
        Assert.Equal("/var/lib/teleport/license.pem", config.AuthService.LicenseFile);
        Assert.StartsWith("s3://", config.Teleport.Storage.AuditSessionsUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_pool_example_runs_only_the_proxy_with_key_pairs()
    {
        var config = TeleportConfigLoader.Load(ExamplePath("proxy-pool.yaml"));

        Assert.False(config.AuthService.Enabled);
        Assert.True(config.ProxyService.Enabled);
        Assert.False(config.SshService.Enabled);
        Assert.Equal(new NetAddress("auth.internal.example.com", 3025), config.Teleport.AuthServer);
        Assert.Single(config.ProxyService.HttpsKeyPairs);
        Assert.Equal("proxy-join-token", config.Teleport.JoinParams.TokenName);
        // A proxy needs no backend: the example names none.
        Assert.Equal(StorageType.Sqlite, config.Teleport.Storage.Type);
        Assert.Null(config.Teleport.Storage.ConnString);
    }

    [Fact]
    public void Node_example_runs_only_ssh_and_joins_through_the_proxy()
    {
        var config = TeleportConfigLoader.Load(ExamplePath("node.yaml"));

        Assert.False(config.AuthService.Enabled);
        Assert.False(config.ProxyService.Enabled);
        Assert.True(config.SshService.Enabled);
        Assert.Equal(new NetAddress("mycluster.example.com", 443), config.Teleport.ProxyServer);
        Assert.Equal(2, config.SshService.Commands.Count);
        Assert.Equal("production", config.SshService.Labels["env"]);
    }

    [Fact]
    public void App_service_example_runs_only_apps_and_joins_through_the_proxy()
    {
        var config = TeleportConfigLoader.Load(ExamplePath("app-service.yaml"));

        Assert.False(config.AuthService.Enabled);
        Assert.False(config.ProxyService.Enabled);
        Assert.False(config.SshService.Enabled);
        Assert.True(config.AppService.Enabled);
        Assert.Equal(new NetAddress("mycluster.example.com", 443), config.Teleport.ProxyServer);
        Assert.Equal(["grafana", "wiki"], config.AppService.Apps.Select(a => a.Name));
    }
}
