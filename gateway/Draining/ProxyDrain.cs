using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.SshProxy;

namespace Teleport.Orleans.Gateway.Draining;

/// <summary>
/// SIGTERM drains the proxy before the host stops anything: /readyz fails at once (the load balancer takes the proxy
/// out), the public listeners stop accepting (a new connection is refused, so an L4 balancer retries it on another
/// proxy), HTTP requests in flight complete, and relayed SSH sessions run on until they end or the grace period
/// (proxy_service.shutdown_grace_period) is over. Then the host stops as usual and cuts what is left.
/// </summary>
internal sealed partial class ProxyDrain(GatewayOptions options, IServiceProvider services, ActiveConnections sessions, ILogger<ProxyDrain> logger)
    : IHostedLifecycleService
{
    /// <summary>How often the drain looks whether the last session has ended.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _draining = new();

    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when draining starts: listeners register on it to stop accepting.</summary>
    public CancellationToken Draining => _draining.Token;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var grace = options.ShutdownGracePeriod;
        var clock = Stopwatch.StartNew();
        LogDraining(logger, sessions.Count, grace.TotalSeconds);
        await _draining.CancelAsync();
        if (grace <= TimeSpan.Zero)
        {
            return;
        }

        using var graceOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        graceOver.CancelAfter(grace);
        // Kestrel closes its listeners now and waits for requests in flight until the grace period ends. (Resolved here:
        // Kestrel's options resolve the listeners, which depend on this drain.)
        var web = services.GetRequiredService<IServer>().StopAsync(graceOver.Token);
        try
        {
            while (sessions.Count > 0)
            {
                await Task.Delay(PollInterval, graceOver.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await web;
        if (sessions.Count > 0)
        {
            LogGraceOver(logger, sessions.Count);
        }
        else
        {
            LogDrained(logger, clock.Elapsed.TotalSeconds);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _draining.Dispose();
        return Task.CompletedTask;
    }
}
