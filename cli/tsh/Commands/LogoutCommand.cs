using System.CommandLine;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh logout: deletes the current profile's keys and certificates (known_hosts stays, as in Teleport).</summary>
internal static class LogoutCommand
{
    public static Command Create(TshContext context)
    {
        var command = new Command("logout", "Delete the cluster certificates");
        command.SetAction(_ =>
        {
            var removed = context.Store.Remove();
            context.Out.WriteLine(removed is null ? "You are not logged in." : $"Logged out {removed.User} from {removed.ProxyHost}.");
            return 0;
        });
        return command;
    }
}
