using System.CommandLine;
using Teleport.Orleans.Cli.TeleportNode.Commands;

var root = new RootCommand("Teleport.Orleans node agent (ssh_service), compiled ahead of time.")
{
    NodeStartCommand.Create(),
    NodeVersionCommand.Create(),
};
// SIGTERM cancels the command's token; the host bounds its own shutdown (as teleport start does).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromHours(1) });
