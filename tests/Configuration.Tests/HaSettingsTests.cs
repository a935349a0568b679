namespace Teleport.Orleans.Configuration.Tests;

/// <summary>The settings of a pool under failure: how fast a silo is declared dead, how long a proxy drains.</summary>
public sealed class HaSettingsTests
{
    [Fact]
    public void Failure_detection_shutdown_grace_period_and_drain_delay_are_read()
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
              drain_delay: 7s
            """);

        Assert.Equal(TimeSpan.FromSeconds(2), config.AuthService.FailureDetection.ProbeTimeout);
        Assert.Equal(4, config.AuthService.FailureDetection.MissedProbes);
        Assert.True(config.AuthService.FailureDetection.ConnectionLiveness);
        Assert.Equal(TimeSpan.FromMinutes(5), config.ProxyService.ShutdownGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(7), config.ProxyService.DrainDelay);
    }

    [Fact]
    public void Without_them_a_dead_silo_is_found_in_seconds_and_a_proxy_keeps_accepting_3_seconds_then_drains_for_30()
    {
        var config = TeleportConfigLoader.Parse("version: v3\n");

        Assert.Equal(TimeSpan.FromSeconds(1), config.AuthService.FailureDetection.ProbeTimeout);
        Assert.Equal(3, config.AuthService.FailureDetection.MissedProbes);
        Assert.False(config.AuthService.FailureDetection.ConnectionLiveness);
        Assert.Equal(TimeSpan.FromSeconds(30), config.ProxyService.ShutdownGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(3), config.ProxyService.DrainDelay);
    }

    [Theory]
    [InlineData("auth_service:\n  failure_detection:\n    probe_timeout: 0s\n", "auth_service.failure_detection.probe_timeout: must be longer than zero")]
    [InlineData("auth_service:\n  failure_detection:\n    missed: 3\n", "unknown key 'missed' in auth_service.failure_detection")]
    [InlineData("proxy_service:\n  shutdown_grace_period: soon\n", "proxy_service.shutdown_grace_period: expected a duration")]
    [InlineData("proxy_service:\n  drain_delay: later\n", "proxy_service.drain_delay: expected a duration")]
    public void A_wrong_value_names_the_key(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("version: v3\n" + yaml));

        Assert.Contains(expected, error.Message);
    }
}
