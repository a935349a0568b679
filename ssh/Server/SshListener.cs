using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// Accepts TCP connections for an <see cref="SshServer"/>. Connections waiting for authentication are bounded by an
/// <see cref="UnauthenticatedConnectionBudget"/> (<see cref="SshServerOptions.MaxUnauthenticatedConnections"/>, per
/// address <see cref="SshServerOptions.MaxUnauthenticatedConnectionsPerAddress"/>): a newcomer evicts the idlest
/// waiting connection rather than being refused, so a flood of silent connections cannot keep a user out. Each has
/// <see cref="SshServerOptions.HandshakeTimeout"/> to authenticate (sshd's LoginGraceTime), and an address over
/// the server's <see cref="SshServerOptions.ConnectionLimiter"/> is refused with a DISCONNECT that says why.
/// </summary>
public sealed partial class SshListener : IAsyncDisposable
{
    private readonly SshServer _server;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _accepting = true;
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly ILogger _logger;
    private UnauthenticatedConnectionBudget? _budget;
    private Task _acceptLoop = Task.CompletedTask;
    private int _nextConnectionId;
    private bool _started;
    private bool _disposed;

    public SshListener(SshServer server, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(endPoint);
        _server = server;
        _listener = new TcpListener(endPoint);
        _logger = server.LoggerFactory.CreateLogger<SshListener>();
    }

    /// <summary>The bound address (with the real port when port 0 was asked for); valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections currently waiting for authentication.</summary>
    public int UnauthenticatedConnections => _budget?.Count ?? 0;

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            throw new InvalidOperationException("The listener is already started.");
        }

        _started = true;
        _listener.Start();
        _budget = new UnauthenticatedConnectionBudget(
            new UnauthenticatedConnectionBudgetOptions
            {
                Capacity = _server.MaxUnauthenticatedConnections,
                PerAddress = _server.MaxUnauthenticatedConnectionsPerAddress,
                // A backstop behind the server's own deadline, which says "Authentication timed out" first; this one
                // also closes a client that stopped reading, so that even that DISCONNECT cannot be written.
                Deadline = _server.HandshakeTimeout + TimeSpan.FromSeconds(10),
                Name = $"SSH {LocalEndPoint}",
                TimeProvider = _server.TimeProvider,
            },
            _server.LoggerFactory.CreateLogger<UnauthenticatedConnectionBudget>());
        LogListening(_logger, LocalEndPoint);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Connections being served now, authenticated or not.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Stops accepting new connections and leaves the open ones running (a draining server).</summary>
    public void StopAccepting()
    {
        _accepting = false;
        _listener.Stop();
    }

    /// <summary>Stops accepting, disconnects every connection and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_accepting)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. out of file descriptors: back off instead of spinning.
                LogAcceptFailed(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                continue;
            }

            var id = _nextConnectionId++;
            var connection = Task.Run(() => ServeAsync(id, socket));
            _connections[id] = connection;
            if (connection.IsCompleted)
            {
                // It finished before it was registered, so its own removal missed.
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task ServeAsync(int id, Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        var slot = _server.ConnectionLimiter is { } limiter ? limiter.TryAcquireConnection(remote, $"SSH {LocalEndPoint}") : null;
        UnauthenticatedConnection? waiting = null;
        try
        {
            socket.NoDelay = true;
            if (_server.ConnectionLimiter is { } refusing && slot is null)
            {
                await using var refused = new NetworkStream(socket, ownsSocket: false);
                await _server.RefuseAsync(refused, refusing.ConnectionRefusal).ConfigureAwait(false);
                return;
            }

            waiting = _budget!.Admit(socket);
            await using var connection = new HandshakeAckStream(socket, waiting);
            await _server.RunConnectionAsync(connection, remote, connection.HandshakeCompleted, waiting.RelayVouched, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // RunConnectionAsync does not throw; this guards the listener against anything that slips through.
            LogConnectionFailed(_logger, ex);
        }
        finally
        {
            waiting?.Dispose();
            slot?.Dispose();
            socket.Dispose();
            _connections.TryRemove(id, out _);
        }
    }
}
