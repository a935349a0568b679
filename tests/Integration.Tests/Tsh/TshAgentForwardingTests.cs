using System.Diagnostics;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// Agent forwarding through the real cluster to the real node: tsh ssh -A, and OpenSSH's ssh -A through the proxy
/// (tsh config), each with a real ssh-agent holding one key that ssh-add -l on the node must list.
/// </summary>
public sealed class TshAgentForwardingTests(TshCluster cluster) : IClassFixture<TshCluster>, IDisposable
{
    private const string KeyComment = "itest-forwarded-agent-key";
    private readonly DirectoryInfo _agentDirectory = Directory.CreateTempSubdirectory("itest-agent-");
    private Process? _agent;

    private static string Node => $"{TshCluster.Login}@{TshCluster.NodeName}";

    private string AgentSocket => Path.Combine(_agentDirectory.FullName, "agent.sock");

    [Fact]
    public async Task Tsh_ssh_A_lets_ssh_add_on_the_node_list_the_local_agents_key()
    {
        await StartAgentAsync();
        await cluster.SshWhenNodeIsRouted(Node, "true");

        var result = await cluster.Run("env", $"SSH_AUTH_SOCK={AgentSocket}", "dotnet", TshCluster.TshDll, "ssh", "-A", Node, "ssh-add -l");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains(KeyComment, result.Stdout);
    }

    [Fact]
    public async Task OpenSsh_ssh_A_through_the_proxy_lets_ssh_add_on_the_node_list_the_local_agents_key()
    {
        await StartAgentAsync();
        await cluster.SshWhenNodeIsRouted(Node, "true");
        var status = await cluster.Tsh("status");
        var clusterName = status.Stdout.Split('\n').First(l => l.Contains("Cluster:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var configFile = Path.Combine(_agentDirectory.FullName, "ssh_config");
        await File.WriteAllTextAsync(configFile, (await cluster.Tsh("config")).EnsureSuccess().Stdout);

        var result = await cluster.Run(
            "env", $"SSH_AUTH_SOCK={AgentSocket}", "ssh", "-F", configFile, "-o", "BatchMode=yes", "-A", $"{TshCluster.Login}@{TshCluster.NodeName}.{clusterName}", "ssh-add -l");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains(KeyComment, result.Stdout);
    }

    public void Dispose()
    {
        if (_agent is not null)
        {
            _agent.Kill();
            _agent.WaitForExit(TimeSpan.FromSeconds(10));
            _agent.Dispose();
        }

        _agentDirectory.Delete(recursive: true);
    }

    private async Task StartAgentAsync()
    {
        var start = new ProcessStartInfo("ssh-agent") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-D", "-a", AgentSocket })
        {
            start.ArgumentList.Add(argument);
        }

        _agent = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!File.Exists(AgentSocket))
        {
            await Task.Delay(20, deadline.Token);
        }

        var key = Path.Combine(_agentDirectory.FullName, "key");
        (await cluster.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", KeyComment, "-f", key)).EnsureSuccess();
        (await cluster.Run("env", $"SSH_AUTH_SOCK={AgentSocket}", "ssh-add", key)).EnsureSuccess();
    }
}
