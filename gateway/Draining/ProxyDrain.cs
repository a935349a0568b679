using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.SshProxy;

namespace Teleport.Orleans.Gateway.Draining;

/// <summary>
/// SIGTERM drains the proxy before the host stops anything: /readyz fails at once (the load balancer takes the proxy
/// out), the SSH and tunnel listeners stop accepting (a new connection is refused, so an L4 balancer retries it on
/// another proxy), and relayed SSH sessions run on until they end or the grace period
/// (proxy_service.shutdown_grace_period) is over. Then the host stops as usual: the web listener closes after its
/// requests in flight, and what is left is cut. The web and diagnostics listeners stay open while draining, so
/// /healthz still answers (the load balancer keeps the proxy's tunnels, which the running sessions may use) and a
/// web request that reached the proxy before the balancer noticed is served.
/// </summary>
internal sealed partial class ProxyDrain(GatewayOptions options, ActiveConnections sessions, ILogger<ProxyDrain> logger)
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
