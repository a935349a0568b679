using System.CommandLine;

namespace Teleport.Orleans.Cli.Teleport.Commands;

internal static class VersionCommand
{
    public const string Version = "0.1.0";

    public static Command Create()
    {
        var command = new Command("version", "Print the version");
        command.SetAction(_ => Console.Out.WriteLine($"Teleport.Orleans v{Version} .NET {Environment.Version}"));
        return command;
    }
}
