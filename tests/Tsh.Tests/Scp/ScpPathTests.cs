using Teleport.Orleans.Cli.Tsh.Scp;

namespace Teleport.Orleans.Tsh.Tests.Scp;

public sealed class ScpPathTests
{
    [Theory]
    [InlineData("root@node1:/tmp/x", "root", "node1", "/tmp/x")]
    [InlineData("node1:file", null, "node1", "file")]
    [InlineData("node1:", null, "node1", ".")]
    [InlineData("./a:b", null, null, "./a:b")]
    [InlineData("/abs/path", null, null, "/abs/path")]
    [InlineData("local.txt", null, null, "local.txt")]
    public void Remote_paths_have_a_colon_before_any_slash(string text, string? login, string? host, string path)
    {
        Assert.Equal(new ScpPath(login, host, path), ScpPath.Parse(text));
    }
}
