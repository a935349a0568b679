using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.EndToEnd;

/// <summary>tsh ssh login@key=value command: the command on every matching node, lines prefixed with the node's name.</summary>
public sealed class SshLabelTargetTests(StandInProxyFixture fixture) : IClassFixture<StandInProxyFixture>
{
    private static string Login => Environment.UserName;

    [Fact]
    public async Task A_command_runs_on_every_matching_node_with_prefixed_lines_and_skips_the_others()
    {
        var result = await fixture.Tsh.RunAsync("ssh", $"{Login}@env=test", "echo", "one;", "echo", "two");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["[localhost] one", "[localhost] two", "[web] one", "[web] two"], lines);
        Assert.DoesNotContain("[db]", result.Output + result.Error);
        Assert.DoesNotContain($"proxy:db:0@{StandInProxy.Cluster}", fixture.Proxy.Subsystems);
    }

    [Fact]
    public async Task The_exit_status_is_non_zero_when_the_command_fails_on_a_node()
    {
        var result = await fixture.Tsh.RunAsync("ssh", $"{Login}@env=prod", "echo", "oops", ">&2;", "exit", "3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("[db] oops\n", result.Error);
    }

    [Fact]
    public async Task No_matching_node_is_one_error_sentence()
    {
        var result = await fixture.Tsh.RunAsync("ssh", $"{Login}@env=nowhere", "uptime");

        Assert.Equal(255, result.ExitCode);
        Assert.Equal("ERROR: No node matches the labels env=nowhere (see 'tsh ls').\n", result.Error);
    }

    [Fact]
    public async Task An_interactive_session_on_a_label_target_is_refused()
    {
        var result = await fixture.Tsh.RunAsync("ssh", $"{Login}@env=test");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("ERROR: A label target (env=test) needs a command to run on each node", result.Error);
    }
}
