namespace Teleport.Orleans.Configuration.Tests;

/// <summary>app_service as Teleport writes it: apps with a DNS-label name and an absolute http(s) uri.</summary>
public sealed class AppServiceParsingTests
{
    [Fact]
    public void Apps_are_read_with_every_field()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            app_service:
              enabled: true
              apps:
              - name: grafana
                description: Dashboards
                uri: http://localhost:3000
                public_addr: grafana.example.com
                labels:
                  env: prod
                insecure_skip_verify: true
                rewrite:
                  redirect: [localhost]
                  headers:
                  - "X-Team: ops"
            """);

        Assert.True(config.AppService.Enabled);
        var app = Assert.Single(config.AppService.Apps);
        Assert.Equal("grafana", app.Name);
        Assert.Equal("Dashboards", app.Description);
        Assert.Equal(new Uri("http://localhost:3000"), app.Uri);
        Assert.Equal("grafana.example.com", app.PublicAddr);
        Assert.Equal("prod", app.Labels["env"]);
        Assert.True(app.InsecureSkipVerify);
        Assert.Equal(["localhost"], app.RewriteRedirect);
        Assert.Equal(["X-Team: ops"], app.RewriteHeaders);
    }

    [Fact]
    public void App_service_is_off_unless_enabled()
    {
        var config = TeleportConfigLoader.Parse("version: v3\n");

        Assert.False(config.AppService.Enabled);
        Assert.Empty(config.AppService.Apps);
    }

    [Theory]
    [InlineData("  - name: Grafana\n    uri: http://localhost:3000\n", "app_service.apps[0].name: \"Grafana\" is not a DNS label")]
    [InlineData("  - name: my_app\n    uri: http://localhost:3000\n", "app_service.apps[0].name: \"my_app\" is not a DNS label")]
    [InlineData("  - uri: http://localhost:3000\n", "app_service.apps[0].name: is required")]
    [InlineData("  - name: grafana\n", "app_service.apps[0].uri: is required")]
    [InlineData("  - name: grafana\n    uri: localhost:3000\n", "app_service.apps[0].uri: \"localhost:3000\" is not an absolute http or https URI")]
    [InlineData("  - name: grafana\n    uri: tcp://localhost:5432\n", "app_service.apps[0].uri: \"tcp://localhost:5432\" is not an absolute http or https URI")]
    [InlineData("  - name: grafana\n    uri: http://a\n    public_addr: https://grafana.example.com\n", "app_service.apps[0].public_addr: \"https://grafana.example.com\" must be a host name")]
    [InlineData("  - name: grafana\n    uri: http://a\n    rewrite:\n      headers: [\"no colon\"]\n", "app_service.apps[0].rewrite.headers: \"no colon\" is not \"Name: value\"")]
    [InlineData("  - name: a\n    uri: http://a\n  - name: a\n    uri: http://b\n", "app_service.apps[1].name: \"a\" is used by another app")]
    [InlineData("  - name: a\n    uri: http://a\n    colour: red\n", "colour")]
    public void Invalid_app_is_refused_with_the_key_named(string apps, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse($"version: v3\napp_service:\n  enabled: true\n  apps:\n{apps}"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
