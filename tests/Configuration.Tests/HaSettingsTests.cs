namespace Teleport.Orleans.Configuration.Tests;

/// <summary>The settings of a pool under failure: how fast a silo is declared dead, how long a proxy drains.</summary>
public sealed class HaSettingsTests
{
    [Fact]
    public void Failure_detection_and_shutdown_grace_period_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            auth_service:
              failure_detection:
                probe_timeout: 2s
                missed_probes: 4
                connection_liveness: on
            proxy_service:
              shutdown_grace_period: 5m
            """);

        Assert.Equal(TimeSpan.FromSeconds(2), config.AuthService.FailureDetection.ProbeTimeout);
        Assert.Equal(4, config.AuthService.FailureDetection.MissedProbes);
        Assert.True(config.AuthService.FailureDetection.ConnectionLiveness);
        Assert.Equal(TimeSpan.FromMinutes(5), config.ProxyService.ShutdownGracePeriod);
    }

    [Fact]
    public void Without_them_a_dead_silo_is_found_in_seconds_and_a_proxy_drains_for_30_seconds()
    {
        var config = TeleportConfigLoader.Parse("version: v3\n");

        Assert.Equal(TimeSpan.FromSeconds(1), config.AuthService.FailureDetection.ProbeTimeout);
        Assert.Equal(3, config.AuthService.FailureDetection.MissedProbes);
        Assert.False(config.AuthService.FailureDetection.ConnectionLiveness);
        Assert.Equal(TimeSpan.FromSeconds(30), config.ProxyService.ShutdownGracePeriod);
    }

    [Theory]
    [InlineData("auth_service:\n  failure_detection:\n    probe_timeout: 0s\n", "auth_service.failure_detection.probe_timeout: must be longer than zero")]
    [InlineData("auth_service:\n  failure_detection:\n    missed: 3\n", "unknown key 'missed' in auth_service.failure_detection")]
    [InlineData("proxy_service:\n  shutdown_grace_period: soon\n", "proxy_service.shutdown_grace_period: expected a duration")]
    public void A_wrong_value_names_the_key(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("version: v3\n" + yaml));

        Assert.Contains(expected, error.Message);
    }
}
