namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// What a forwarding handler bound for a "tcpip-forward" request: <see cref="Port"/> is the port really bound
/// (the one reported to a client that asked for port 0). Disposing it stops accepting connections; it is
/// disposed on "cancel-tcpip-forward" and when the connection ends. Connections already forwarded go on.
/// </summary>
public interface ISshRemoteForwardListener : IAsyncDisposable
{
    uint Port { get; }
}
