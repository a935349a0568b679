using Teleport.Orleans.Cli.Tsh.Sessions;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Tsh.Tests.Sessions;

public sealed class RemoteExitTests
{
    [Fact]
    public void The_exit_status_is_the_exit_code_without_a_message()
    {
        var status = new SshExitStatus(7, null, false, null);

        Assert.Equal(7, RemoteExit.Code(status));
        Assert.Null(RemoteExit.Message(status));
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("KILL", 137)]
    [InlineData("SIGINT", 130)]
    [InlineData("HUP", 129)]
    [InlineData("WINCH", 255)]
    public void A_signal_is_128_plus_its_number(string signal, int code)
    {
        Assert.Equal(code, RemoteExit.Code(new SshExitStatus(null, signal, false, null)));
    }

    [Fact]
    public void A_signal_is_reported_with_the_servers_message()
    {
        var message = RemoteExit.Message(new SshExitStatus(null, "SEGV", true, "Segmentation fault"));

        Assert.Equal("Remote command terminated by signal SEGV (core dumped): Segmentation fault.", message);
    }

    [Fact]
    public void No_status_is_255()
    {
        Assert.Equal(255, RemoteExit.Code(SshExitStatus.None));
    }
}
