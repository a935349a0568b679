namespace Teleport.Orleans.Configuration.Tests;

public sealed class NetAddressTests
{
    [Theory]
    [InlineData("example.com:443", null, "example.com", 443)]
    [InlineData("example.com", 3080, "example.com", 3080)]
    [InlineData("10.0.0.5:3025", null, "10.0.0.5", 3025)]
    [InlineData("0.0.0.0:0", null, "0.0.0.0", 0)]
    [InlineData(":3080", null, "0.0.0.0", 3080)]
    [InlineData("  auth.internal:3025 ", null, "auth.internal", 3025)]
    public void Host_and_port_are_split(string text, int? defaultPort, string host, int port)
    {
        Assert.Equal(new NetAddress(host, port), NetAddress.Parse(text, defaultPort));
    }

    [Theory]
    [InlineData("[::1]:3025", null, "::1", 3025)]
    [InlineData("[::]:3080", null, "::", 3080)]
    [InlineData("[2001:db8::5]", 3022, "2001:db8::5", 3022)]
    [InlineData("2001:db8::5", 3022, "2001:db8::5", 3022)]
    [InlineData("[fe80::1%2]:22", null, "fe80::1%2", 22)]
    public void IPv6_addresses_use_brackets(string text, int? defaultPort, string host, int port)
    {
        var address = NetAddress.Parse(text, defaultPort);

        Assert.Equal(new NetAddress(host, port), address);
        Assert.True(address.IsIPv6);
    }

    [Fact]
    public void IPv6_addresses_print_in_brackets_and_parse_back()
    {
        var address = new NetAddress("2001:db8::5", 3025);

        Assert.Equal("[2001:db8::5]:3025", address.ToString());
        Assert.Equal(address, NetAddress.Parse(address.ToString()));
        Assert.Equal("example.com:443", new NetAddress("example.com", 443).ToString());
    }

    [Theory]
    [InlineData("example.com", "missing port")]
    [InlineData("example.com:", "missing port after ':'")]
    [InlineData("example.com:http", "invalid port 'http'")]
    [InlineData("example.com:70000", "invalid port '70000'")]
    [InlineData("example.com:-1", "invalid port '-1'")]
    [InlineData("2001:db8::5:3025:x", "too many colons")]
    [InlineData("[::1:3025", "missing ']'")]
    [InlineData("[example.com]:443", "not an IPv6 address")]
    [InlineData("[::1]3025", "unexpected '3025'")]
    [InlineData("https://example.com:443", "is a URL")]
    [InlineData("exa mple.com:443", "invalid host")]
    [InlineData("", "empty address")]
    public void Malformed_addresses_are_rejected_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => NetAddress.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(NetAddress.TryParse(text, null, out _));
    }

    [Fact]
    public void Public_addresses_take_the_default_port_of_their_field()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            teleport:
              auth_server: auth.example.com
            auth_service:
              public_addr: auth.example.com
            proxy_service:
              public_addr: [teleport.example.com, "[2001:db8::1]:443"]
              ssh_public_addr: teleport.example.com
              tunnel_public_addr: teleport.example.com
            ssh_service:
              public_addr: node-1.example.com
            """);

        Assert.Equal(new NetAddress("auth.example.com", 3025), config.Teleport.AuthServer);
        Assert.Equal([new NetAddress("auth.example.com", 3025)], config.AuthService.PublicAddrs);
        Assert.Equal([new NetAddress("teleport.example.com", 3080), new NetAddress("2001:db8::1", 443)], config.ProxyService.PublicAddrs);
        Assert.Equal([new NetAddress("teleport.example.com", 3023)], config.ProxyService.SshPublicAddrs);
        Assert.Equal([new NetAddress("teleport.example.com", 3024)], config.ProxyService.TunnelPublicAddrs);
        Assert.Equal([new NetAddress("node-1.example.com", 3022)], config.SshService.PublicAddrs);
    }

    [Fact]
    public void Listen_address_without_port_keeps_the_default_port()
    {
        var config = TeleportConfigLoader.Parse("""
            version: v3
            auth_service:
              listen_addr: "[::]"
            proxy_service:
              web_listen_addr: 127.0.0.1
            """);

        Assert.Equal(new NetAddress("::", 3025), config.AuthService.ListenAddr);
        Assert.Equal(new NetAddress("127.0.0.1", 3080), config.ProxyService.WebListenAddr);
    }
}
