using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebSessions;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// Keeps an open web terminal tied to its web session, as Teleport does: typing renews the session's idle timer, and
/// the terminal ends with a sentence saying why once the session is signed out, deleted, expired or idle, or a lock
/// targets the user or the node. Sign-outs on this proxy and lock changes are acted on at once; anything else
/// (a sign-out on another proxy) on the next check, every <see cref="CheckInterval"/> at most.
/// </summary>
internal sealed partial class WebTerminalWatch : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly IWebSessionGrain _grain;
    private readonly WebSession _session;
    private readonly Node _node;
    private readonly RoutingCache _cache;
    private readonly WebSessionService _sessions;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    // Opening the terminal is the user's doing too: the first check, at once, renews the idle timer.
    private int _typed = 1;

    public WebTerminalWatch(IGrainFactory grains, WebSession session, Node node, RoutingCache cache, WebSessionService sessions, ILogger logger)
    {
        (_grain, _session, _node, _cache, _sessions, _logger) = (grains.GetGrain<IWebSessionGrain>(session.Id), session, node, cache, sessions, logger);
        cache.LocksChanged += Wake;
        sessions.Ended += OnSessionsEnded;
    }

    /// <summary>The user typed: the next check renews the session's idle timer.</summary>
    public void Typed() => Volatile.Write(ref _typed, 1);

    /// <summary>The lock that ends the terminal now, described; null when none applies.</summary>
    public string? Locked() =>
        LockCheck.Find(_cache.Locks, _session.User, _node.Name, _node.Hostname) is { } accessLock
            ? $"the terminal was closed: {LockCheck.Describe(accessLock, _session.User)}"
            : null;

    /// <summary>Completes with the reason when the terminal must end; runs until then or until cancelled.</summary>
    public async Task<string> Run(CancellationToken cancellationToken)
    {
        var interval = _session.InactivityTimeout > TimeSpan.Zero && _session.InactivityTimeout / 4 < CheckInterval
            ? _session.InactivityTimeout / 4
            : CheckInterval;
        while (true)
        {
            // Checked first, then waited for: the terminal's opening renews the idle timer at once, not an interval
            // later (a connect that took most of a short idle timeout ended the terminal before the user could type).
            if (Locked() is { } locked)
            {
                return locked;
            }

            try
            {
                var check = Interlocked.Exchange(ref _typed, 0) == 1 ? await _grain.Use(_session.BearerHash) : await _grain.Check(_session.BearerHash);
                if (check.Failure != WebSessionFailure.None)
                {
                    return $"the terminal was closed: {_sessions.Describe(check.Failure)}";
                }
            }
            catch (Exception ex) when (ex is TimeoutException || AuthPoolUnreachable.Describe(ex) is not null)
            {
                // The auth pool is failing over: the terminal goes on, and the next check asks again.
                LogCheckFailed(_logger, _session.User, ex.Message);
            }

            var untilExpiry = _session.Expires - DateTimeOffset.UtcNow;
            if (untilExpiry <= TimeSpan.Zero)
            {
                return $"the terminal was closed: {_sessions.Describe(WebSessionFailure.Expired)}";
            }

            await _wake.WaitAsync(untilExpiry < interval ? untilExpiry : interval, cancellationToken);
        }
    }

    public void Dispose()
    {
        _cache.LocksChanged -= Wake;
        _sessions.Ended -= OnSessionsEnded;
        _wake.Dispose();
    }

    private void OnSessionsEnded(string user)
    {
        if (string.Equals(user, _session.User, StringComparison.Ordinal))
        {
            Wake();
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is pending already.
        }
        catch (ObjectDisposedException)
        {
            // The terminal has ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the web session of {User}'s web terminal: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string user, string reason);
}
