namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// Decides TCP/IP port forwarding on one connection (RFC 4254 §7). Both methods default to "refused". They run
/// on the connection's behalf with a token that is cancelled when it ends. A handler that is
/// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> is disposed when the connection ends.
/// </summary>
public interface ISshForwardingHandler
{
    /// <summary>
    /// "direct-tcpip" (local forwarding, ssh -L/-W/-J): a connected stream to the requested host and port, or null
    /// to refuse. The server then copies both ways with flow control and owns (disposes) the stream. The client's
    /// EOF shuts down the sending side of a <see cref="System.Net.Sockets.NetworkStream"/>. This runs outside the
    /// connection's message loop, so connecting may take its time; an exception is reported as "connect failed".
    /// </summary>
    ValueTask<Stream?> ConnectAsync(SshDirectTcpIpRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(null);

    /// <summary>
    /// "tcpip-forward" (remote forwarding, ssh -R): bind <see cref="SshRemoteForward.Address"/> and
    /// <see cref="SshRemoteForward.Port"/> (0 = any port) and hand each accepted connection to
    /// <see cref="SshRemoteForward.ForwardAsync"/>; return what was bound, or null to refuse. The connection
    /// processes no other message until this returns, so bind and return; accept in the background.
    /// </summary>
    ValueTask<ISshRemoteForwardListener?> ListenAsync(SshRemoteForward forward, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ISshRemoteForwardListener?>(null);
}
