using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Benchmarks.AgentLoad;

// usage: AgentLoad --auth HOST:PORT --identity ADMIN_IDENTITY --proxy WEB_HOST:PORT --tunnel HOST:PORT [--nodes N] [--rate R] [--heartbeat admin|node]
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"ERROR: {e.Message}");
    Console.Error.WriteLine("usage: AgentLoad --auth HOST:PORT --identity FILE --proxy HOST:PORT --tunnel HOST:PORT [--nodes 1000] [--rate 100] [--heartbeat admin|node]");
    return 2;
}

// A whole thread pool of timers and handshakes: start with enough threads that the ramp does not wait for injection.
ThreadPool.SetMinThreads(Math.Max(8, Environment.ProcessorCount * 4), Environment.ProcessorCount * 4);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var admin = AuthClientFactory.Create(options.AuthServer, IdentityFile.Load(options.AdminIdentity), out var channel);
using (channel)
{
    await new LoadRun(options, admin).RunAsync(stop.Token);
}

return 0;
