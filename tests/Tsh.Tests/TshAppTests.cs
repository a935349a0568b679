using Teleport.Orleans.Cli.Tsh;

namespace Teleport.Orleans.Tsh.Tests;

public sealed class TshAppTests
{
    [Fact]
    public void Flags_after_the_host_belong_to_the_remote_command()
    {
        var args = TshApp.SeparateRemoteCommand(["ssh", "-t", "-p", "22", "root@node", "ls", "-l"]);

        Assert.Equal(["ssh", "-t", "-p", "22", "root@node", "--", "ls", "-l"], args);
    }

    [Fact]
    public void Forward_specs_are_not_taken_for_the_host()
    {
        var args = TshApp.SeparateRemoteCommand(["ssh", "-N", "-L", "8080:db:5432", "--local-forward", "9090:db:80", "root@node"]);

        Assert.Equal(["ssh", "-N", "-L", "8080:db:5432", "--local-forward", "9090:db:80", "root@node"], args);
    }

    [Fact]
    public void The_command_of_bench_ssh_keeps_its_own_flags()
    {
        var args = TshApp.SeparateRemoteCommand(["bench", "--rate", "20", "ssh", "--duration=2s", "root@node", "echo", "-n", "hi"]);

        Assert.Equal(["bench", "--rate", "20", "ssh", "--duration=2s", "root@node", "--", "echo", "-n", "hi"], args);
    }

    [Fact]
    public void Other_commands_are_left_as_they_are()
    {
        Assert.Equal(["scp", "-r", "a", "b:c"], TshApp.SeparateRemoteCommand(["scp", "-r", "a", "b:c"]));
        Assert.Equal(["ssh", "root@node"], TshApp.SeparateRemoteCommand(["ssh", "root@node"]));
    }

    [Fact]
    public async Task An_unknown_flag_is_reported_as_an_error_with_exit_code_1()
    {
        var error = new StringWriter();

        var code = await TshApp.RunAsync(["ls", "--bogus"], new TshContext { Out = new StringWriter(), Error = error, Environment = _ => null });

        Assert.Equal(1, code);
        Assert.Contains("ERROR:", error.ToString());
    }
}
