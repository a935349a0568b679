using Teleport.Orleans.Agent.Tests.Support;

namespace Teleport.Orleans.Agent.Tests.Sessions;

/// <summary>Agent forwarding (ssh -A) with a real ssh-agent and OpenSSH's client, as the roles allow it.</summary>
public sealed class AgentForwardingTests
{
    [Fact]
    public async Task A_forwarded_agent_lists_the_clients_key_in_the_session_and_its_socket_is_removed_afterwards()
    {
        await using var node = new NodeServer(login => login with { AgentForwardingAllowed = true });
        using var agent = await SshAgentProcess.StartAsync();

        var run = await node.SshAsync("ssh-add -l; echo \"socket=$SSH_AUTH_SOCK\"", null, agent.Environment, "-A");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(SshAgentProcess.KeyComment, run.Text);
        var socket = run.Text.Split('\n').Single(l => l.StartsWith("socket=", StringComparison.Ordinal))["socket=".Length..];
        Assert.StartsWith(Path.GetTempPath(), socket);
        await Eventually.TrueAsync(() => !File.Exists(socket) && !Directory.Exists(Path.GetDirectoryName(socket)));
    }

    [Fact]
    public async Task The_agent_socket_belongs_to_the_login_user()
    {
        await using var node = new NodeServer(login => login with { AgentForwardingAllowed = true });
        using var agent = await SshAgentProcess.StartAsync();

        var run = await node.SshAsync("stat -c '%U %a' \"$SSH_AUTH_SOCK\" \"$(dirname \"$SSH_AUTH_SOCK\")\"", null, agent.Environment, "-A");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"{NodeServer.LoginName} 600\n{NodeServer.LoginName} 700\n", run.Text);
    }

    [Fact]
    public async Task Agent_forwarding_the_roles_do_not_allow_is_refused_with_a_sentence_and_the_command_runs_without_it()
    {
        await using var node = new NodeServer();
        using var agent = await SshAgentProcess.StartAsync();

        var run = await node.SshAsync("echo \"socket=${SSH_AUTH_SOCK:-none}\"", null, agent.Environment, "-A");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("socket=none\n", run.Text);
        Assert.Contains("agent forwarding is not permitted for this login: none of the user's roles sets forward_agent: true", run.Error);
    }

    [Fact]
    public async Task A_session_without_agent_forwarding_has_no_agent_socket()
    {
        await using var node = new NodeServer(login => login with { AgentForwardingAllowed = true });

        var run = await node.SshAsync("echo \"socket=${SSH_AUTH_SOCK:-none}\"");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("socket=none\n", run.Text);
        Assert.DoesNotContain("agent", run.Error);
    }
}
