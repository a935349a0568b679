using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Benchmarks.AgentLoad;

/// <summary>
/// Starts <see cref="LoadOptions.Nodes"/> agents at <see cref="LoadOptions.Rate"/> per second and prints, every second,
/// "t=SECONDS up=TUNNELS_UP started=N joined=N failed=N busy=REFUSALS tunnels_made=N" until stopped. Agent i is
/// named load-NNNNN (i in five digits), so a script can pick exec targets without asking.
/// </summary>
internal sealed class LoadRun(LoadOptions options, AuthService.AuthServiceClient admin)
{
    private readonly List<SimulatedAgent> _agents = [];
    private int _failed;
    private string? _firstError;

    public async Task RunAsync(CancellationToken stopping)
    {
        var joiner = new NodeJoiner(NullLogger<NodeJoiner>.Instance);
        var clock = Stopwatch.StartNew();
        var report = ReportAsync(clock, stopping);
        var running = new List<Task>();
        for (var i = 0; i < options.Nodes && !stopping.IsCancellationRequested; i++)
        {
            // The clock is read once: read again after the check, the wait could come out between -1 and -2 ms, which
            // Task.Delay truncates to -1, an infinite wait (the likely cause of a ramp that stopped for good at 4,344).
            var wait = TimeSpan.FromSeconds(i / options.Rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var agent = new SimulatedAgent(i, options, admin, joiner);
            lock (_agents)
            {
                _agents.Add(agent);
            }

            running.Add(Task.Run(() => RunOneAsync(agent, stopping), CancellationToken.None));
        }

        await Task.WhenAll(running);
        await report;
    }

    private async Task RunOneAsync(SimulatedAgent agent, CancellationToken stopping)
    {
        try
        {
            await agent.RunAsync(stopping);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, $"{agent.Hostname}: {ex.Message}", null);
        }
    }

    private async Task ReportAsync(Stopwatch clock, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var errorShown = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                SimulatedAgent[] agents;
                lock (_agents)
                {
                    agents = [.. _agents];
                }

                int up = 0, joined = 0, busy = 0, dials = 0;
                foreach (var agent in agents)
                {
                    if (agent.Tunnel is { } tunnel)
                    {
                        joined++;
                        up += tunnel.IsUp ? 1 : 0;
                        busy += tunnel.Refusals;
                        dials += tunnel.Connections;
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"t={clock.Elapsed.TotalSeconds:F0} up={up} started={agents.Length} joined={joined} failed={Volatile.Read(ref _failed)} busy={busy} tunnels_made={dials}"));
                if (!errorShown && Volatile.Read(ref _firstError) is { } error)
                {
                    Console.WriteLine($"first failure: {error}");
                    errorShown = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
