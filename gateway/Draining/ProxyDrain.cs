using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Gateway.Draining;

/// <summary>
/// SIGTERM drains the proxy before the host stops anything, in three steps. First /readyz fails while every listener
/// keeps accepting and serving: the load balancer's health check needs a few probes to take the proxy out
/// (proxy_service.drain_delay, matched to the shipped haproxy configuration), and a connection it hands over
/// meanwhile must not find a closing listener. That step lasts the delay, and on until no new connection came for
/// <see cref="Quiet"/> (at most <see cref="MaxExtension"/> more). Then the SSH and tunnel listeners stop accepting,
/// relayed SSH sessions run on until they end or the grace period (proxy_service.shutdown_grace_period) is over, and
/// the agents' reverse tunnels are handed over: each is closed once no session runs through it (including sessions
/// other proxies relay through it), and its agent dials a proxy that is staying. Then the host stops as usual: the web listener closes after its requests in flight, and what is left is
/// cut. The web and diagnostics listeners stay open while draining, so /healthz still answers (the load balancer
/// keeps the proxy's tunnels, which the running sessions may use).
/// </summary>
internal sealed partial class ProxyDrain(
    GatewayOptions options, ActiveConnections sessions, TunnelRegistry tunnels, ConnectionLimiter connections, ILogger<ProxyDrain> logger)
    : IHostedLifecycleService
{
    /// <summary>How long no new connection must have come before the proxy stops accepting, once the delay is over.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>The longest the proxy waits beyond the delay for connections to stop coming (a balancer that does not check /readyz).</summary>
    public static readonly TimeSpan MaxExtension = TimeSpan.FromSeconds(10);

    /// <summary>How often the drain looks whether the last session has ended, or a connection came.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopAccepting = new();
    private volatile bool _draining;

    /// <summary>True from SIGTERM on: readiness fails.</summary>
    public bool IsDraining => _draining;

    /// <summary>Cancelled once the load balancer has had time to take the proxy out: listeners register on it to stop accepting.</summary>
    public CancellationToken StopAccepting => _stopAccepting.Token;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _draining = true;
        LogUnready(logger, options.DrainDelay.TotalSeconds);
        var lastConnection = await WaitForBalancerAsync(options.DrainDelay, cancellationToken);

        var grace = options.ShutdownGracePeriod;
        LogDraining(logger, clock.Elapsed.TotalSeconds, lastConnection.TotalSeconds, sessions.Count, tunnels.Count, grace.TotalSeconds);
        await _stopAccepting.CancelAsync();
        if (grace <= TimeSpan.Zero)
        {
            return;
        }

        using var graceOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        graceOver.CancelAfter(grace);
        var handover = tunnels.HandOverAsync(graceOver.Token);
        try
        {
            while (sessions.Count > 0 || !handover.IsCompleted)
            {
                await Task.Delay(PollInterval, graceOver.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (sessions.Count > 0 || tunnels.Count > 0)
        {
            LogGraceOver(logger, sessions.Count, tunnels.Count);
        }
        else
        {
            LogDrained(logger, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>
    /// Keeps accepting for <paramref name="delay"/>, then until no connection came for <see cref="Quiet"/> (at most
    /// <see cref="MaxExtension"/> more). Returns when the last connection came, relative to the start.
    /// </summary>
    private async Task<TimeSpan> WaitForBalancerAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastConnection = TimeSpan.Zero;
        if (delay <= TimeSpan.Zero)
        {
            return lastConnection;
        }

        var seen = connections.Accepted;
        try
        {
            while (true)
            {
                await Task.Delay(PollInterval, cancellationToken);
                var now = clock.Elapsed;
                var accepted = connections.Accepted;
                if (accepted != seen)
                {
                    seen = accepted;
                    lastConnection = now;
                }

                if ((now >= delay && now - lastConnection >= Quiet) || now >= delay + MaxExtension)
                {
                    return lastConnection;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout is over: stop accepting now.
            return lastConnection;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopAccepting.Dispose();
        return Task.CompletedTask;
    }
}
