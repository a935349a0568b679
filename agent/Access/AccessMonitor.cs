using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Access;

/// <summary>
/// Teleport's connection monitor on the node: ends what a connection runs (sessions, port forwards) when a lock
/// comes to target its user, login or this node, when its certificate expires and a role sets
/// <c>disconnect_expired_cert</c>, or when the client sent nothing for the roles' <c>client_idle_timeout</c>.
/// Every session reaches the node's own SSH server, so this holds for direct, tunnelled and proxied sessions alike.
/// </summary>
internal sealed partial class AccessMonitor
{
    /// <summary>How often expiry and idleness are checked; a new access policy (a lock) is checked at once.</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly AccessPolicyCache _policy;
    private readonly NodeAccessContext _node;
    private readonly ILogger<AccessMonitor> _logger;
    private readonly ConditionalWeakTable<object, MonitoredConnection> _connections = new();
    private readonly ConcurrentDictionary<MonitoredConnection, byte> _running = new();
    private readonly SemaphoreSlim _policyChanged = new(0, 1);

    public AccessMonitor(AccessPolicyCache policy, NodeAccessContext node, ILogger<AccessMonitor> logger, TimeProvider? time = null)
    {
        _policy = policy;
        _node = node;
        _logger = logger;
        Time = time ?? TimeProvider.System;
        policy.Applied += OnPolicyApplied;
    }

    /// <summary>Reports a connection ended by the monitor (client.disconnect), once per connection.</summary>
    public Action<NodeLogin, string>? Disconnected { get; set; }

    internal TimeProvider Time { get; }

    /// <summary>
    /// The monitored state of the connection <paramref name="connection"/> (one per SSH connection); for an SSH
    /// connection, ending it also closes the connection with the reason.
    /// </summary>
    public MonitoredConnection Track(object connection, NodeLogin login) =>
        _connections.GetValue(connection, _ => new MonitoredConnection(this, login, connection is SshConnectionContext ssh ? ssh.DisconnectAsync : null));

    /// <summary>Watches a whole SSH connection from its start (SshServerOptions.ConnectionStarted), sessions or none.</summary>
    public void Watch(SshConnectionContext connection)
    {
        if (connection.AuthenticationState is NodeLogin login)
        {
            Track(connection, login).Watch(connection.Closed);
        }
    }

    /// <summary>Why <paramref name="connection"/> may no longer run anything, or null while it may.</summary>
    public string? Check(MonitoredConnection connection)
    {
        if (connection.EndedReason is { } ended)
        {
            return ended;
        }

        var login = connection.Login;
        var now = Time.GetUtcNow();
        if (NodeLocks.Find(_policy.Current.Locks, login.User, login.Login, _node, now) is { } inForce)
        {
            return NodeLocks.Describe(inForce);
        }

        if (login.DisconnectExpiredCert && login.CertificateValidBefore < DateTimeOffset.MaxValue && now >= login.CertificateValidBefore)
        {
            return $"client certificate expired at {GoTime(login.CertificateValidBefore)}";
        }

        if (login.ClientIdleTimeout > TimeSpan.Zero && now - connection.LastInput >= login.ClientIdleTimeout)
        {
            return $"Client exceeded idle timeout of {GoDuration.Format(login.ClientIdleTimeout)}";
        }

        return null;
    }

    /// <summary>Checks running connections every <see cref="CheckInterval"/> and at once when the policy changes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _policyChanged.WaitAsync(CheckInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            CheckRunning();
        }
    }

    /// <summary>Ends every running connection whose access has ended.</summary>
    internal void CheckRunning()
    {
        foreach (var connection in _running.Keys)
        {
            if (Check(connection) is { } reason)
            {
                connection.End(reason);
            }
        }
    }

    internal void Running(MonitoredConnection connection, bool running)
    {
        if (running)
        {
            _running.TryAdd(connection, 0);
        }
        else
        {
            _running.TryRemove(connection, out _);
        }
    }

    internal void Ended(MonitoredConnection connection, string reason)
    {
        LogEnded(connection.Login.User, connection.Login.Login, connection.Login.ClientAddress, reason);
        try
        {
            Disconnected?.Invoke(connection.Login, reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReportFailed(ex);
        }
    }

    internal void EndFailed(Exception exception) => LogEndFailed(exception);

    private void OnPolicyApplied()
    {
        try
        {
            _policyChanged.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already due.
        }
    }

    /// <summary>Go's time.Time String() in UTC, as Teleport prints times in these messages.</summary>
    private static string GoTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? ""
            : "." + (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + fraction + " +0000 UTC";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended the sessions of {User} as {Login} from {Address}: {Reason}")]
    private partial void LogEnded(string user, string login, string address, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting a disconnect failed")]
    private partial void LogReportFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending a session whose access ended failed")]
    private partial void LogEndFailed(Exception exception);
}
