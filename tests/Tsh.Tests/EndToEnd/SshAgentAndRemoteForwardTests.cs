using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.EndToEnd;

/// <summary>tsh ssh -A with a real ssh-agent, and -R, through the stand-in proxy to a real sshd node.</summary>
public sealed class SshAgentAndRemoteForwardTests(StandInProxyFixture fixture) : IClassFixture<StandInProxyFixture>
{
    private static string Login => Environment.UserName;

    [Fact]
    public async Task Tsh_ssh_A_forwards_the_local_agent_so_ssh_add_on_the_node_lists_its_key()
    {
        using var agent = await SshAgentProcess.StartAsync();

        var result = await new TshRun(fixture.Home.Path, agent.Environment).RunAsync("ssh", "-A", $"{Login}@localhost", "ssh-add -l");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(SshAgentProcess.KeyComment, result.Output);
    }

    [Fact]
    public async Task Tsh_ssh_A_without_an_agent_says_so_in_a_sentence_and_runs_the_command()
    {
        var result = await fixture.Tsh.RunAsync("ssh", "-A", $"{Login}@localhost", "echo ran");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ran\n", result.Output);
        Assert.Contains("there is no ssh-agent to forward", result.Error);
    }

    [Fact]
    public async Task Tsh_ssh_R_carries_a_connection_made_on_the_node_back_to_a_service_here()
    {
        await using var echo = new EchoServer();
        var port = FreePort();

        var result = await fixture.Tsh.RunAsync(
            "ssh", "-R", $"{port}:127.0.0.1:{echo.Port}", $"{Login}@localhost",
            $"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port}; echo back-through-tsh >&3; head -1 <&3'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("back-through-tsh\n", result.Output);
    }

    [Fact]
    public async Task Tsh_ssh_R_with_port_0_reports_the_port_the_node_chose_as_ssh_does()
    {
        var result = await fixture.Tsh.RunAsync("ssh", "-R", "0:127.0.0.1:9", $"{Login}@localhost", "true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("Allocated port [0-9]+ for remote forward to 127.0.0.1:9", result.Error);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
