using Teleport.Orleans.Agent.Sessions;

namespace Teleport.Orleans.Agent.Access;

/// <summary>
/// One SSH connection as the <see cref="AccessMonitor"/> sees it: whose it is, when the client last sent input,
/// and what it runs (sessions and port forwards), each with the action that ends it. Once ended, it stays ended:
/// nothing new starts on it, and once what it ran has been told why, the SSH connection itself is closed with
/// that reason (a DISCONNECT the client prints), as Teleport closes the connection.
/// </summary>
internal sealed class MonitoredConnection
{
    private readonly AccessMonitor _monitor;
    private readonly Lock _gate = new();
    private readonly HashSet<Activity> _activities = [];
    private long _lastInputTicks;

    /// <summary>How long the activities get to tell the client why (a notice on stderr) before the connection closes.</summary>
    private static readonly TimeSpan NoticeGrace = TimeSpan.FromSeconds(2);

    private readonly Func<string, Task>? _disconnect;

    internal MonitoredConnection(AccessMonitor monitor, NodeLogin login, Func<string, Task>? disconnect = null)
    {
        _monitor = monitor;
        _disconnect = disconnect;
        Login = login;
        _lastInputTicks = monitor.Time.GetUtcNow().UtcTicks;
    }

    public NodeLogin Login { get; }

    /// <summary>
    /// Whether ending access closes the SSH connection itself (a DISCONNECT after the notices): what it runs then ends
    /// with the connection and need not close its channels first.
    /// </summary>
    public bool ClosesConnectionOnEnd => _disconnect is not null;

    /// <summary>Why the monitor ended this connection; null while it runs.</summary>
    public string? EndedReason { get; private set; }

    public DateTimeOffset LastInput => new(Interlocked.Read(ref _lastInputTicks), TimeSpan.Zero);

    /// <summary>The client sent something (data, a window change, a signal): the idle clock starts again.</summary>
    public void Touch() => Interlocked.Exchange(ref _lastInputTicks, _monitor.Time.GetUtcNow().UtcTicks);

    /// <summary>
    /// Adds something the connection runs, ended by <paramref name="end"/> (given the reason) when access ends, or
    /// returns why it may not start. Disposing the registration removes it when it ends by itself.
    /// </summary>
    public (IDisposable? Registration, string? Refusal) Start(Func<string, Task> end)
    {
        // Asking to start something is input too.
        Touch();
        if (_monitor.Check(this) is { } refusal)
        {
            End(refusal);
            return (null, refusal);
        }

        var activity = new Activity(this, end);
        lock (_gate)
        {
            if (EndedReason is { } ended)
            {
                return (null, ended);
            }

            _activities.Add(activity);
            _monitor.Running(this, true);
        }

        return (activity, null);
    }

    /// <summary>Ends everything the connection runs, once, and reports why.</summary>
    public void End(string reason)
    {
        Activity[] running;
        lock (_gate)
        {
            if (EndedReason is not null)
            {
                return;
            }

            EndedReason = reason;
            running = [.. _activities];
            _activities.Clear();
            _monitor.Running(this, false);
        }

        _monitor.Ended(this, reason);
        _ = EndAllAsync(running, reason);
    }

    /// <summary>Adds the connection itself: it counts as running (checked for locks, expiry, idleness) until it closes.</summary>
    public void Watch(CancellationToken closed)
    {
        var (registration, _) = Start(_ => Task.CompletedTask);
        if (registration is not null)
        {
            closed.Register(registration.Dispose);
        }
    }

    private async Task EndAllAsync(Activity[] running, string reason)
    {
        var ending = Task.WhenAll(running.Select(activity => EndAsync(activity, reason)));
        await ending.WaitAsync(NoticeGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_disconnect is not null)
        {
            try
            {
                await _disconnect(reason);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _monitor.EndFailed(ex);
            }
        }
    }

    private async Task EndAsync(Activity activity, string reason)
    {
        try
        {
            await activity.End(reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _monitor.EndFailed(ex);
        }
    }

    private void Remove(Activity activity)
    {
        lock (_gate)
        {
            if (_activities.Remove(activity) && _activities.Count == 0)
            {
                _monitor.Running(this, false);
            }
        }
    }

    private sealed class Activity(MonitoredConnection connection, Func<string, Task> end) : IDisposable
    {
        public Func<string, Task> End { get; } = end;

        public void Dispose() => connection.Remove(this);
    }
}
