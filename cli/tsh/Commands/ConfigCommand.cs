using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.OpenSsh;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh config: an OpenSSH client configuration block for the current cluster.</summary>
internal static class ConfigCommand
{
    public static Command Create(TshContext context)
    {
        var command = new Command("config", "Print OpenSSH configuration details");
        command.SetAction(_ =>
        {
            var store = context.Store;
            var login = store.RequireLogin();
            var home = context.Environment("TSH_HOME") is { Length: > 0 } ? store.Home : null;
            context.Out.Write(SshConfigBlock.Render(store, login.Profile, TshContext.ShellCommand(), home));
            return 0;
        });
        return command;
    }
}
