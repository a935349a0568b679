using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// Accepts TCP connections for an <see cref="SshServer"/>. At most
/// <see cref="SshServerOptions.MaxUnauthenticatedConnections"/> connections may be waiting for authentication;
/// further ones are closed at once (sshd's MaxStartups), and each has <see cref="SshServerOptions.HandshakeTimeout"/>
/// to authenticate (sshd's LoginGraceTime).
/// </summary>
public sealed partial class SshListener : IAsyncDisposable
{
    private readonly SshServer _server;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly ILogger _logger;
    private Task _acceptLoop = Task.CompletedTask;
    private int _unauthenticated;
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
    public int UnauthenticatedConnections => Volatile.Read(ref _unauthenticated);

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            throw new InvalidOperationException("The listener is already started.");
        }

        _started = true;
        _listener.Start();
        LogListening(_logger, LocalEndPoint);
        _acceptLoop = Task.Run(AcceptLoopAsync);
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
            catch (SocketException ex)
            {
                // E.g. out of file descriptors: back off instead of spinning.
                LogAcceptFailed(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _unauthenticated) > _server.MaxUnauthenticatedConnections)
            {
                Interlocked.Decrement(ref _unauthenticated);
                LogTooManyUnauthenticated(_logger, socket.RemoteEndPoint?.ToString() ?? "unknown", _server.MaxUnauthenticatedConnections);
                socket.Dispose();
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
        var counted = 1;
        HandshakeAckStream? stream = null;
        void LeaveUnauthenticated()
        {
            stream?.HandshakeCompleted();
            if (Interlocked.Exchange(ref counted, 0) == 1)
            {
                Interlocked.Decrement(ref _unauthenticated);
            }
        }

        try
        {
            socket.NoDelay = true;
            var remote = socket.RemoteEndPoint;
            await using var connection = stream = new HandshakeAckStream(socket);
            await _server.RunConnectionAsync(connection, remote, LeaveUnauthenticated, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // RunConnectionAsync does not throw; this guards the listener against anything that slips through.
            LogConnectionFailed(_logger, ex);
        }
        finally
        {
            LeaveUnauthenticated();
            socket.Dispose();
            _connections.TryRemove(id, out _);
        }
    }
}
