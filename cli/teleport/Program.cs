using System.CommandLine;
using Teleport.Orleans.Cli.Teleport.Commands;

var root = new RootCommand("Teleport.Orleans: identity-aware access to your infrastructure over SSH.")
{
    StartCommand.Create(),
    ConfigureCommand.Create(),
    VersionCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
