using System.Net;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Who is on an authenticated connection: handed to the forwarding handler factory and with every session.</summary>
public sealed class SshConnectionContext
{
    internal SshConnectionContext(
        string userName, SshPublicKey publicKey, SshCertificate? certificate, EndPoint? remoteEndPoint, string clientVersion, object? authenticationState)
    {
        UserName = userName;
        PublicKey = publicKey;
        Certificate = certificate;
        RemoteEndPoint = remoteEndPoint;
        ClientVersion = clientVersion;
        AuthenticationState = authenticationState;
    }

    public string UserName { get; }

    /// <summary>The key the user authenticated with (for a certificate, the certified key).</summary>
    public SshPublicKey PublicKey { get; }

    /// <summary>The user's certificate, whose permit-port-forwarding extension a handler may want to check.</summary>
    public SshCertificate? Certificate { get; }

    public EndPoint? RemoteEndPoint { get; }

    public string ClientVersion { get; }

    /// <summary>The state the authentication callback passed to <see cref="Authentication.SshAuthenticationResult.Accept"/>.</summary>
    public object? AuthenticationState { get; }

    /// <summary>Cancelled when the connection ends; <see cref="CancellationToken.None"/> before it runs.</summary>
    public CancellationToken Closed => _service?.Ended ?? CancellationToken.None;

    private ConnectionService? _service;

    /// <summary>
    /// Ends the whole connection with SSH_MSG_DISCONNECT (reason 11, by application) carrying <paramref name="description"/>
    /// (OpenSSH prints it), as Teleport does when a lock, an expired certificate or idleness ends access.
    /// </summary>
    public Task DisconnectAsync(string description) => _service?.DisconnectAsync(description) ?? Task.CompletedTask;

    /// <summary>
    /// Opens an "auth-agent@openssh.com" channel to the client (which forwards its ssh-agent, after an
    /// auth-agent-req@openssh.com) for <paramref name="connection"/>, a connection to the agent socket the session
    /// offers; splices the two until both sides are done. The stream is owned from the call on. Throws
    /// <see cref="IOException"/> when the client refuses the channel or the connection is gone.
    /// </summary>
    public Task ForwardAgentConnectionAsync(Stream connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _service is { } service
            ? service.OpenToClientAsync("auth-agent@openssh.com", [], connection, "an agent connection", null, cancellationToken)
            : throw new IOException("The connection is not running.");
    }

    internal void Attach(ConnectionService service) => _service = service;
}
