using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// teleport.connection_limits for one service, shared by all its listeners: at most
/// <see cref="MaxConnectionsPerAddress"/> open connections from one client IP (max_connections) and at most
/// <see cref="MaxUsers"/> distinct users connected at once (max_users). Refusals are logged here, once, with the
/// setting to change.
/// </summary>
public sealed partial class ConnectionLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _connections = [];
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly LogThrottle _logThrottle = new(TimeProvider.System);
    private long _accepted;
    private long _refused;

    public ConnectionLimiter(int maxConnectionsPerAddress, int maxUsers, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnectionsPerAddress, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUsers, 1);
        MaxConnectionsPerAddress = maxConnectionsPerAddress;
        MaxUsers = maxUsers;
        _logger = logger ?? NullLogger.Instance;
    }

    public int MaxConnectionsPerAddress { get; }

    public int MaxUsers { get; }

    /// <summary>Connections counted so far, on every listener (a draining proxy watches it to know when new ones stop coming).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections and users refused so far for a limit (Teleport's proxy_connection_limit_exceeded_total).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>What a client refused by <see cref="TryAcquireConnection"/> is told.</summary>
    public string ConnectionRefusal =>
        $"Too many connections from your address (connection_limits.max_connections is {MaxConnectionsPerAddress}); close some and try again.";

    /// <summary>What a user refused by <see cref="TryAcquireUser"/> is told.</summary>
    public string UserRefusal =>
        $"Too many users are connected (connection_limits.max_users is {MaxUsers}); try again later.";

    /// <summary>Counts a connection against its address; null (and a log line) when the address is at its limit.</summary>
    public IDisposable? TryAcquireConnection(EndPoint? remote, string listener)
    {
        Interlocked.Increment(ref _accepted);
        if (remote is not IPEndPoint { Address: var ip })
        {
            return Lease.None;
        }

        var address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        lock (_lock)
        {
            var open = _connections.GetValueOrDefault(address);
            if (open >= MaxConnectionsPerAddress)
            {
                Interlocked.Increment(ref _refused);
                if (_logThrottle.Allow(address.ToString(), out var heldBack))
                {
                    LogConnectionRefused(_logger, remote.ToString() ?? "", listener, MaxConnectionsPerAddress, heldBack);
                }

                return null;
            }

            _connections[address] = open + 1;
        }

        return new Lease(() => Release(_connections, address));
    }

    /// <summary>
    /// Counts a connection of <paramref name="user"/>; null (and a log line) when it would be one user too many.
    /// Further connections of a user already connected are always let in.
    /// </summary>
    public IDisposable? TryAcquireUser(string user, string remote)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_lock)
        {
            var open = _users.GetValueOrDefault(user);
            if (open == 0 && _users.Count >= MaxUsers)
            {
                Interlocked.Increment(ref _refused);
                if (_logThrottle.Allow(LogThrottle.SourceOf(remote), out var heldBack))
                {
                    LogUserRefused(_logger, user, remote, MaxUsers, heldBack);
                }

                return null;
            }

            _users[user] = open + 1;
        }

        return new Lease(() => Release(_users, user));
    }

    private void Release<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        lock (_lock)
        {
            if (counts[key] == 1)
            {
                counts.Remove(key);
            }
            else
            {
                counts[key]--;
            }
        }
    }

    private sealed class Lease(Action? release) : IDisposable
    {
        public static readonly Lease None = new(null);

        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
