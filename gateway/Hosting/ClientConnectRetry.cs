using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Keeps a proxy-only process trying to reach the auth pool at start, with backoff up to 10 s and one log line per
/// attempt, so a proxy started before (or during a restart of) the auth service comes up once a silo is active.
/// </summary>
internal sealed partial class ClientConnectRetry(ILogger<ClientConnectRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private TimeSpan _delay = TimeSpan.FromMilliseconds(250);
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        _attempt++;
        LogRetrying(logger, _attempt, _delay.TotalSeconds, exception.Message);
        try
        {
            await Task.Delay(_delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        _delay = TimeSpan.FromMilliseconds(Math.Min(_delay.TotalMilliseconds * 2, MaxDelay.TotalMilliseconds));
        return true;
    }
}
