using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Forwarding;

namespace Teleport.Orleans.Tsh.Tests.Forwarding;

public sealed class LocalForwardTests
{
    [Theory]
    [InlineData("8080:db.internal:5432", "127.0.0.1", 8080, "db.internal", 5432)]
    [InlineData("localhost:8080:db:5432", "127.0.0.1", 8080, "db", 5432)]
    [InlineData("0.0.0.0:8080:db:5432", "0.0.0.0", 8080, "db", 5432)]
    [InlineData("*:8080:db:5432", "0.0.0.0", 8080, "db", 5432)]
    [InlineData("[::1]:8080:[fe80::1]:80", "::1", 8080, "fe80::1", 80)]
    public void Forwards_parse_as_OpenSsh_binding_loopback_unless_told(string text, string bind, int port, string host, int hostPort)
    {
        Assert.Equal(new LocalForward(bind, port, host, hostPort), LocalForward.Parse(text));
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("8080:db")]
    [InlineData("a:b:c:d:e")]
    [InlineData("8080:db:http")]
    [InlineData("70000:db:80")]
    [InlineData("8080:db:0")]
    [InlineData("8080::80")]
    [InlineData("[::1:8080:db:80")]
    public void Malformed_forwards_are_refused_with_a_sentence(string text)
    {
        var error = Assert.Throws<TshException>(() => LocalForward.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
    }
}
