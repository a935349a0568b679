using System.CommandLine;
using System.Reflection;

namespace Teleport.Orleans.Cli.TeleportNode.Commands;

/// <summary><c>teleport-node version</c>: the release and how the binary was built.</summary>
internal static class NodeVersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version");
        command.SetAction(_ =>
        {
            var version = typeof(NodeVersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
            var build = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT";
            Console.Out.WriteLine($"Teleport.Orleans node v{version} .NET {Environment.Version} ({build})");
        });
        return command;
    }
}
