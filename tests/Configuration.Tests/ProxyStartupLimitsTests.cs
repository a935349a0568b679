namespace Teleport.Orleans.Configuration.Tests;

/// <summary>proxy_service.ssh_max_startups(_per_address): how many SSH handshakes the proxy holds at once, in all and per address.</summary>
public sealed class ProxyStartupLimitsTests
{
    [Fact]
    public void Raised_startup_limits_are_read()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            proxy_service:
              ssh_max_startups: 2000
              ssh_max_startups_per_address: 1000
            """);

        Assert.Equal(2000, config.ProxyService.SshMaxStartups);
        Assert.Equal(1000, config.ProxyService.SshMaxStartupsPerAddress);
    }

    [Fact]
    public void Without_them_256_handshakes_are_held_and_32_from_one_address()
    {
        var config = TeleportConfigLoader.Parse("version: v3\n");

        Assert.Equal(256, config.ProxyService.SshMaxStartups);
        Assert.Equal(32, config.ProxyService.SshMaxStartupsPerAddress);
    }

    [Theory]
    [InlineData("proxy_service:\n  ssh_max_startups: 0\n", "proxy_service.ssh_max_startups: 0 is out of range")]
    [InlineData("proxy_service:\n  ssh_max_startups: many\n", "proxy_service.ssh_max_startups")]
    [InlineData("proxy_service:\n  ssh_max_startups: 10\n  ssh_max_startups_per_address: 20\n", "proxy_service.ssh_max_startups_per_address: cannot be more than ssh_max_startups (10)")]
    public void A_wrong_limit_names_the_key(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => TeleportConfigLoader.Parse("version: v3\n" + yaml));

        Assert.Contains(expected, error.Message);
    }
}
