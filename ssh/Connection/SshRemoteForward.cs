namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// A "tcpip-forward" request (RFC 4254 §7.1) as handed to <see cref="ISshForwardingHandler.ListenAsync"/>, and the
/// way to forward connections accepted for it back to the client as "forwarded-tcpip" channels.
/// </summary>
public sealed class SshRemoteForward
{
    private readonly ConnectionService _connection;
    private readonly TaskCompletionSource<uint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SshRemoteForward(ConnectionService connection, string address, uint port)
    {
        _connection = connection;
        Address = address;
        Port = port;
    }

    /// <summary>The address to bind as the client sent it: "localhost", "" (all), "0.0.0.0", "127.0.0.1", a host name...</summary>
    public string Address { get; }

    /// <summary>The port to bind; 0 asks for any free port.</summary>
    public uint Port { get; }

    internal bool IsStopped { get; private set; }

    /// <summary>
    /// Opens a "forwarded-tcpip" channel to the client for an accepted <paramref name="connection"/> and copies
    /// both ways with flow control until both sides are done; the stream is owned (disposed) from the call on.
    /// Throws <see cref="IOException"/> when the client refuses the channel or the SSH connection is gone.
    /// Cancelling stops the forwarding and closes the channel. Waits, for a port-0 request, until the handler
    /// has returned the port it bound, which the client needs to match the channel.
    /// </summary>
    public async Task ForwardAsync(Stream connection, string originatorAddress, uint originatorPort, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(originatorAddress);
        uint port;
        try
        {
            port = await _bound.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await _connection.ForwardAsync(this, port, connection, originatorAddress, originatorPort, cancellationToken).ConfigureAwait(false);
    }

    internal void Bind(uint port) => _bound.TrySetResult(port);

    internal void Stop()
    {
        IsStopped = true;
        if (_bound.TrySetException(new IOException($"The remote forward of {Address}:{Port} is not active.")))
        {
            _ = _bound.Task.Exception; // observed: nobody need be waiting
        }
    }
}
