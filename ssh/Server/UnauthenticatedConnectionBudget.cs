using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// Bounds the connections of a public listener that have not authenticated yet, so that a flood of idle or slow
/// connections cannot keep a real user out. Unlike sshd's MaxStartups, which refuses newcomers (at random between
/// its start and full), a full budget always admits the newcomer and closes the waiting connection least likely to
/// be a user about to log in:
/// <list type="number">
/// <item>when the newcomer's address already has <see cref="UnauthenticatedConnectionBudgetOptions.PerAddress"/>
/// waiting, one of that address's own connections, so one flooding address only churns its own;</item>
/// <item>otherwise, when the budget is full, one of all waiting connections.</item>
/// </list>
/// The one chosen is the connection silent longest, among those silent for at least
/// <see cref="UnauthenticatedConnectionBudgetOptions.IdleAfter"/>: a real client in its handshake answers within a
/// round trip, a silent flood connection never does. When none is idle (a slowloris that trickles a byte a second
/// looks active), the one admitted earliest goes: a login takes milliseconds, so the oldest still waiting is the
/// least likely to finish, and a trickler can neither renew its age nor outlive the
/// <see cref="UnauthenticatedConnectionBudgetOptions.Deadline"/>. Eviction only closes the connection (its owner's
/// close action); the owner's reads then fail and it cleans up as for any lost connection.
/// </summary>
public sealed partial class UnauthenticatedConnectionBudget
{
    private readonly Lock _lock = new();
    private readonly List<UnauthenticatedConnection> _waiting = [];
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly int _capacity;
    private readonly int _perAddressLimit;
    private readonly TimeSpan _deadline;
    private readonly TimeSpan _idleAfter;
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly LogThrottle _logThrottle;
    private readonly ILogger _logger;

    public UnauthenticatedConnectionBudget(UnauthenticatedConnectionBudgetOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1, nameof(options.Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PerAddress, 1, nameof(options.PerAddress));
        if (options.Deadline != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Deadline, TimeSpan.Zero, nameof(options.Deadline));
        }

        _capacity = options.Capacity;
        _perAddressLimit = Math.Min(options.PerAddress, options.Capacity);
        _deadline = options.Deadline;
        _idleAfter = options.IdleAfter;
        _name = options.Name;
        _time = options.TimeProvider;
        _logThrottle = new LogThrottle(options.TimeProvider);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Connections waiting for authentication now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    internal long Now => _time.GetTimestamp();

    /// <summary>
    /// Admits a new connection, evicting a waiting one first when the budget or the address is full.
    /// <paramref name="close"/> closes the connection (it may run on any thread, once); the caller disposes the
    /// returned place when the connection authenticates or ends.
    /// </summary>
    public UnauthenticatedConnection Admit(EndPoint? remote, Action close)
    {
        ArgumentNullException.ThrowIfNull(close);
        var address = AddressOf(remote);
        var connection = new UnauthenticatedConnection(this, address, remote?.ToString() ?? "unknown", close, Now);
        if (_deadline != Timeout.InfiniteTimeSpan)
        {
            connection.Deadline = _time.CreateTimer(static state => ((UnauthenticatedConnection)state!).Expire(), connection, _deadline, Timeout.InfiniteTimeSpan);
        }

        UnauthenticatedConnection? victim = null;
        var addressFull = false;
        lock (_lock)
        {
            if (address is not null && _perAddress.GetValueOrDefault(address) >= _perAddressLimit)
            {
                victim = ChooseVictim(address);
                addressFull = true;
            }
            else if (_waiting.Count >= _capacity)
            {
                victim = ChooseVictim(null);
            }

            if (victim is not null)
            {
                // A victim that is leaving on its own (authenticated this instant) frees its place all the same.
                RemoveLocked(victim);
                if (!victim.TryEvict())
                {
                    victim = null;
                }
            }

            _waiting.Add(connection);
            if (address is not null)
            {
                _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
            }
        }

        if (victim is not null)
        {
            var (age, idle) = Ages(victim);
            if (!_logThrottle.Allow(LogThrottle.SourceOf(victim.Remote), out var heldBack))
            {
                // A flood: the first lines for this source said enough.
            }
            else if (addressFull)
            {
                LogEvictedForAddress(_logger, victim.Remote, _name, age, idle, _perAddressLimit, connection.Remote, heldBack);
            }
            else
            {
                LogEvictedForBudget(_logger, victim.Remote, _name, age, idle, _capacity, connection.Remote, heldBack);
            }

            CloseQuietly(victim);
        }

        return connection;
    }

    /// <summary>Admits an accepted TCP connection; eviction shuts the socket down under its reader, whose reads then fail.</summary>
    public UnauthenticatedConnection Admit(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return Admit(socket.RemoteEndPoint, () =>
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            socket.Dispose();
        });
    }

    internal void Remove(UnauthenticatedConnection connection)
    {
        lock (_lock)
        {
            RemoveLocked(connection);
        }
    }

    /// <summary>
    /// Takes a connection out of its address's share, leaving it in the whole budget. For connections a relay of the
    /// server's own cluster vouched for (a signed statement the relay sends first): every connection such a relay
    /// dials arrives from the relay's one address, so the per-address share, which exists so that one flooding
    /// address churns only its own connections, would instead make the users of one proxy evict each other beyond
    /// that share. A vouched connection is no anonymous flood: the proxy relays only users who authenticated to it with
    /// a certificate of the cluster, and it applies its own per-address share to their addresses first. Connections
    /// nobody vouched for (from the relay's address too) keep the share. Until the relay's preface is read (the first
    /// line after accept), a connection counts against the relay's address.
    /// </summary>
    internal void RelayVouched(UnauthenticatedConnection connection)
    {
        lock (_lock)
        {
            if (connection.Address is not { } address || !_waiting.Contains(connection))
            {
                return;
            }

            Forget(address);
            connection.Address = null;
        }
    }

    internal void Expire(UnauthenticatedConnection connection)
    {
        lock (_lock)
        {
            if (!connection.TryEvict())
            {
                return;
            }

            RemoveLocked(connection);
        }

        if (_logThrottle.Allow(LogThrottle.SourceOf(connection.Remote), out var heldBack))
        {
            LogDeadline(_logger, connection.Remote, _name, _deadline, heldBack);
        }
        CloseQuietly(connection);
    }

    private void RemoveLocked(UnauthenticatedConnection connection)
    {
        connection.Deadline?.Dispose();
        if (_waiting.Remove(connection) && connection.Address is { } address)
        {
            Forget(address);
        }
    }

    private void Forget(IPAddress address)
    {
        if (_perAddress[address] == 1)
        {
            _perAddress.Remove(address);
        }
        else
        {
            _perAddress[address]--;
        }
    }

    /// <summary>The longest silent connection that is idle, else the earliest admitted; of one address, or of all.</summary>
    private UnauthenticatedConnection? ChooseVictim(IPAddress? address)
    {
        var now = Now;
        var idleTicks = (long)(_idleAfter.TotalSeconds * _time.TimestampFrequency);
        UnauthenticatedConnection? idlest = null;
        UnauthenticatedConnection? oldest = null;
        foreach (var candidate in _waiting)
        {
            if (address is not null && !address.Equals(candidate.Address))
            {
                continue;
            }

            if (now - candidate.LastReceived >= idleTicks && (idlest is null || candidate.LastReceived < idlest.LastReceived))
            {
                idlest = candidate;
            }

            if (oldest is null || candidate.Admitted < oldest.Admitted)
            {
                oldest = candidate;
            }
        }

        return idlest ?? oldest;
    }

    private (double Age, double Idle) Ages(UnauthenticatedConnection connection)
    {
        var now = Now;
        return (_time.GetElapsedTime(connection.Admitted, now).TotalSeconds, _time.GetElapsedTime(connection.LastReceived, now).TotalSeconds);
    }

    private void CloseQuietly(UnauthenticatedConnection connection)
    {
        try
        {
            connection.Close();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Closing races the connection's own end; either way it is gone.
            LogCloseFailed(_logger, connection.Remote, ex.Message);
        }
    }

    private static IPAddress? AddressOf(EndPoint? remote) => remote is IPEndPoint ip
        ? ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address
        : null;
}
