using System.CommandLine;
using Teleport.Orleans.Cli.Teleport.Commands;

// Socket completions run on the socket engine's epoll thread instead of hopping to a pool thread per read: relaying
// 1 GiB through the proxy then costs 1.62 CPU-s instead of 2.11 (OpenSSH's bastion: 1.53; docs/performance.md). The
// runtime reads this once, when the first socket operation starts, so it is set before anything else runs. Nothing in
// these processes blocks in a socket continuation (I/O is awaited, grain work runs on Orleans' own scheduler); an
// operator's own setting, 0 included, wins.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

var root = new RootCommand("Teleport.Orleans: identity-aware access to your infrastructure over SSH.")
{
    StartCommand.Create(),
    ConfigureCommand.Create(),
    VersionCommand.Create(),
};
// SIGTERM cancels the command's token; System.CommandLine would end the process 2 s later, cutting a proxy's drain
// and a silo's graceful leave short. Their hosts bound the shutdown themselves (HostOptions.ShutdownTimeout).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromHours(1) });

