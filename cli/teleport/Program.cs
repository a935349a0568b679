using System.CommandLine;
using Teleport.Orleans.Cli.Teleport.Commands;

var root = new RootCommand("Teleport.Orleans: identity-aware access to your infrastructure over SSH.")
{
    StartCommand.Create(),
    ConfigureCommand.Create(),
    VersionCommand.Create(),
};
// SIGTERM cancels the command's token; System.CommandLine would end the process 2 s later, cutting a proxy's drain
// and a silo's graceful leave short. Their hosts bound the shutdown themselves (HostOptions.ShutdownTimeout).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromHours(1) });
