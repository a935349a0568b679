using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Forwarding;

namespace Teleport.Orleans.Tsh.Tests.Forwarding;

public sealed class RemoteForwardTests
{
    [Theory]
    [InlineData("8080:127.0.0.1:80", "localhost", 8080, "127.0.0.1", 80)]
    [InlineData("0:web:80", "localhost", 0, "web", 80)]
    [InlineData("*:8080:web:80", "", 8080, "web", 80)]
    [InlineData(":8080:web:80", "", 8080, "web", 80)]
    [InlineData("[::1]:8080:[fe80::1]:80", "::1", 8080, "fe80::1", 80)]
    public void Forwards_parse_as_OpenSsh_asking_the_node_for_localhost_unless_told(string text, string bind, int port, string host, int hostPort)
    {
        Assert.Equal(new RemoteForward(bind, port, host, hostPort), RemoteForward.Parse(text));
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("8080:web")]
    [InlineData("8080::80")]
    [InlineData("a:b:c:d:e")]
    public void Malformed_forwards_are_refused_with_a_sentence(string text)
    {
        var error = Assert.Throws<TshException>(() => RemoteForward.Parse(text));

        Assert.Contains(text, error.Message);
    }
}
