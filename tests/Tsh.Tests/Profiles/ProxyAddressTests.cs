using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Profiles;

namespace Teleport.Orleans.Tsh.Tests.Profiles;

public sealed class ProxyAddressTests
{
    [Theory]
    [InlineData("proxy.example.com", "proxy.example.com", 3080)]
    [InlineData("proxy.example.com:443", "proxy.example.com", 443)]
    [InlineData("https://proxy.example.com:3080/", "proxy.example.com", 3080)]
    [InlineData("[::1]:3080", "::1", 3080)]
    [InlineData("127.0.0.1:40000", "127.0.0.1", 40000)]
    public void Proxy_addresses_parse_with_the_web_port_as_default(string text, string host, int port)
    {
        Assert.Equal(new ProxyAddress(host, port), ProxyAddress.Parse(text, ProxyAddress.DefaultWebPort));
    }

    [Theory]
    [InlineData("proxy:http")]
    [InlineData("proxy:70000")]
    [InlineData("")]
    public void A_bad_port_is_a_clear_error(string text)
    {
        Assert.Throws<TshException>(() => ProxyAddress.Parse(text, ProxyAddress.DefaultWebPort));
    }
}
