namespace Teleport.Orleans.Configuration.Tests;

/// <summary>teleport.connection_limits as Teleport writes it: max_connections, max_users and request rates.</summary>
public sealed class ConnectionLimitsParsingTests
{
    [Fact]
    public void Rates_are_read_with_their_period_average_and_burst()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              connection_limits:
                max_connections: 1000
                max_users: 50
                rates:
                - period: 1m
                  average: 120
                  burst: 480
            """);

        var limits = config.Teleport.ConnectionLimits;
        Assert.Equal(1000, limits.MaxConnections);
        Assert.Equal(50, limits.MaxUsers);
        Assert.Equal([new ConnectionRateConfig(TimeSpan.FromMinutes(1), 120, 480)], limits.Rates);
    }

    [Fact]
    public void Without_rates_the_list_is_empty_and_teleports_defaults_apply()
    {
        var config = TeleportConfigLoader.Parse("version: v3\nteleport:\n  connection_limits:\n    max_users: 10\n");

        Assert.Empty(config.Teleport.ConnectionLimits.Rates);
    }

    [Theory]
    [InlineData("    rates:\n    - period: 0s\n      average: 1\n      burst: 1\n", "teleport.connection_limits.rates[0].period: must be longer than zero")]
    [InlineData("    rates:\n    - average: 0\n", "teleport.connection_limits.rates[0].average: 0 is out of range")]
    [InlineData("    rates:\n    - period: 1m\n      avg: 5\n", "teleport.connection_limits.rates[0]")]
    [InlineData("    rates: 20\n", "teleport.connection_limits.rates: expected a list")]
    public void Bad_rates_are_reported_with_their_path(string rates, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("version: v3\nteleport:\n  connection_limits:\n" + rates));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
